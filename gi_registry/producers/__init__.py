"""Producers and their links to GIs (holder, applicant, authorized user, public-brand licensee)."""
