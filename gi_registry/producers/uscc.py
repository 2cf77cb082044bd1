"""The unified social credit code (统一社会信用代码, GB 32100-2015) and both of its check characters."""

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# GB 11714-1997 organization code: 8 body characters then a check character.
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}}


class InvalidUSCC(ValueError):
    """The code is not a valid unified social credit code; the message says why."""


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, modulus 31)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def organization_code_check_character(body8: str) -> str:
    """The 9th character of an organization code for its first 8 (GB 11714-1997, modulus 11)."""
    remainder = 11 - sum(_ORG_VALUES[c] * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate_uscc(code: str) -> str:
    """Return the normalised code (upper case, trimmed) or raise InvalidUSCC naming the problem."""
    normalised = code.strip().upper()
    if len(normalised) != 18:
        raise InvalidUSCC(f"a unified social credit code has 18 characters; '{code}' has {len(normalised)}")
    bad = sorted({c for c in normalised if c not in USCC_CHARSET})
    if bad:
        raise InvalidUSCC(
            f"'{code}' contains {', '.join(bad)}, which never appear in a unified social credit code "
            "(allowed: digits and letters other than I, O, S, V, Z)"
        )
    if not normalised[2:8].isdigit():
        raise InvalidUSCC(f"characters 3-8 of '{code}' must be the 6-digit administrative division code")
    organization_code = normalised[8:17]
    if any(c not in _ORG_VALUES for c in organization_code[:8]):
        raise InvalidUSCC(f"the organization code inside '{code}' contains a letter not allowed there")
    expected_org = organization_code_check_character(organization_code[:8])
    if organization_code[8] != expected_org:
        raise InvalidUSCC(
            f"the organization-code check character (17th) of '{code}' should be {expected_org}, "
            f"not {organization_code[8]}: the code is mistyped"
        )
    expected = uscc_check_character(normalised[:17])
    if normalised[17] != expected:
        raise InvalidUSCC(
            f"the final check character of '{code}' should be {expected}, not {normalised[17]}: "
            "the code is mistyped"
        )
    return normalised
