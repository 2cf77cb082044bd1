"""The public website: thin pages over the same services the API uses."""
