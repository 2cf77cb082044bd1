"""Helpers that make synthetic test data; nothing here describes a real producer."""

from gi_registry.producers.uscc import organization_code_check_character, uscc_check_character


def make_uscc(prefix: str = "92", division: str = "430623", org_body: str = "MA4L0P7K") -> str:
    """A unified social credit code that passes both check characters (synthetic; no real producer)."""
    first17 = prefix + division + org_body + organization_code_check_character(org_body)
    return first17 + uscc_check_character(first17)
