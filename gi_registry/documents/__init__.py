"""Documents: application files, standards texts and audit reports, stored by content hash."""
