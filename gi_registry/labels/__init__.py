"""Labels: special-mark authorizations, the label switch, and public verification of a label."""
