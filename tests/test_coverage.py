"""The coverage report per county: a county's own published total is compared, the city's is not split."""

from pathlib import Path

import yaml

from gi_registry.dataset import checks
from gi_registry.dataset.reader import read_dataset

HUARONG = "430623"


def _county(report: checks.CheckReport, code: str) -> dict[str, dict]:
    county = next(c for c in report.coverage.counties if c.code == code)
    return {k.kind.value: k.model_dump() for k in county.kinds}


def test_a_county_total_is_compared_with_that_countys_own_protections(data_copy: Path) -> None:
    before = _county(checks.check_dataset(read_dataset(data_copy)), HUARONG)
    assert all(k["official_total"] is None for k in before.values())

    # A total published for 华容县 alone (a fixture value, not a real fact) must be compared with 华容县's
    # recorded AGIs only, never with the whole city's.
    totals_file = data_copy / "official_totals.yaml"
    totals = yaml.safe_load(totals_file.read_text(encoding="utf-8"))
    recorded = before["agricultural_product_gi"]["recorded"]
    totals.append(
        {
            "key": "huarong-agis-test",
            "kind": "agricultural_product_gi",
            "scope_code": HUARONG,
            "as_of": "2021-12-31",
            "total": recorded + 2,
            "note": None,
            "sources": [
                {
                    "url": None,
                    "document": "test fixture",
                    "publisher": None,
                    "published": None,
                    "confidence": "L",
                    "fields": ["total"],
                    "note": None,
                }
            ],
        }
    )
    totals_file.write_text(yaml.safe_dump(totals, allow_unicode=True), encoding="utf-8")

    report = checks.check_dataset(read_dataset(data_copy))
    after = _county(report, HUARONG)
    assert after["agricultural_product_gi"] == {
        "kind": "agricultural_product_gi",
        "recorded": recorded,
        "official_total": recorded + 2,
        "missing": 2,
    }
    assert after["gi_trademark"]["official_total"] is None  # other kinds of the county are untouched
    # The city-wide row never borrows a total: the city's totals are compared in the per-kind table.
    city = _county(report, "430600")
    assert all(k["official_total"] is None for k in city.values())
    kinds = {k.kind.value: k for k in report.coverage.kinds}
    assert kinds["gi_trademark"].official_total.total == 32
    assert kinds["agricultural_product_gi"].official_total is None  # a county's total is not the city's
