"""Unified social credit codes: both check characters, with messages that say what is wrong."""

import pytest

from gi_registry.producers.uscc import InvalidUSCC, validate_uscc
from tests.factories import make_uscc

# The worked example commonly printed with GB 32100-2015.
STANDARD_EXAMPLE = "91350100M000100Y43"


@pytest.mark.parametrize("code", [STANDARD_EXAMPLE, make_uscc(), make_uscc("93", "430626", "12345678")])
def test_valid_codes_pass(code: str) -> None:
    assert validate_uscc(code) == code


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_uscc(f"  {STANDARD_EXAMPLE.lower()} ") == STANDARD_EXAMPLE


def test_wrong_final_check_character_is_refused() -> None:
    wrong = STANDARD_EXAMPLE[:-1] + ("4" if STANDARD_EXAMPLE[-1] != "4" else "5")
    with pytest.raises(InvalidUSCC, match="final check character .* should be 3"):
        validate_uscc(wrong)


def test_wrong_organization_check_character_is_refused() -> None:
    code = STANDARD_EXAMPLE[:16] + "1" + STANDARD_EXAMPLE[17]
    with pytest.raises(InvalidUSCC, match="organization-code check character"):
        validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y4O", "never appear"),
        ("91ABCDEFM000100Y43", "administrative division"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(InvalidUSCC, match=message):
        validate_uscc(code)


def test_every_single_character_typo_is_caught() -> None:
    code = make_uscc()
    for position in range(18):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidUSCC):
                validate_uscc(typo)
