"""The core every layer may use, importing no domain: settings, database, errors, dates, zh/en words."""
