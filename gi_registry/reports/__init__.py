"""Misuse reports: anyone can report a suspected counterfeit or misused GI label; officials triage them."""
