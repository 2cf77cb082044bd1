"""Auth: accounts, roles, password hashing, bearer tokens and the current user."""
