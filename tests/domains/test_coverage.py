"""The coverage report per county: a county's own published total is compared, the city's is not split."""

from pathlib import Path

import yaml

from gi_registry.dataset import checks
from gi_registry.dataset.reader import read_dataset
from tests.conftest import DATA_DIR

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


def _edit(path: Path, change) -> None:  # noqa: ANN001 - a function that mutates the parsed list
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _protection(records: list[dict], slug: str, key: str) -> dict:
    product = next(r for r in records if r["slug"] == slug)
    return next(p for p in product["protections"] if p["key"] == key)


def _fixture_source(published: str | None, fields: list[str]) -> dict:
    return {
        "url": None,
        "document": "test fixture",
        "published": published,
        "confidence": "L",
        "fields": fields,
    }


def test_a_total_counts_only_the_protections_its_sources_show_by_its_date(data_copy: Path) -> None:
    # Fixture values, not real facts: a total of GI protected products as of 2016-06-30, and the five
    # recorded products given one case each.
    def totals(records: list[dict]) -> None:
        next(r for r in records if r["kind"] == "gi_protected_product")["as_of"] = "2016-06-30"

    def products(records: list[dict]) -> None:
        before = _protection(records, "yueyang-huangcha", "pgi")
        before.update(registration_date="2014-04-09", confidence="M", status="registered")
        after = _protection(records, "changle-tianjiu", "pgi")
        after.update(registration_date="2016-11", confidence="M", status="registered")
        undated = _protection(records, "huarong-jiecai", "pgi")
        undated.update(registration_date=None, confidence="L", status="unknown")
        undated["sources"] = [_fixture_source("2021", ["existence"]), _fixture_source(None, ["existence"])]
        attested = _protection(records, "huarongdao-zhoupigan", "pgi")
        attested.update(registration_date=None, confidence="L", status="registered")
        # A source of 2015 attesting the protection shows it existed by then, though its date is unknown.
        attested["sources"] = [_fixture_source("2015-05", ["existence"])]
        applied = _protection(records, "huarong-dahu-pangtouyu", "pgi")
        applied.update(registration_date="2015", confidence="L", status="applied")

    _edit(data_copy / "official_totals.yaml", totals)
    _edit(data_copy / "indications.yaml", products)

    kinds = {k.kind.value: k for k in checks.check_dataset(read_dataset(data_copy)).coverage.kinds}
    products_kind = kinds["gi_protected_product"]
    as_of = products_kind.as_of
    assert as_of is not None and as_of.as_of == "2016-06-30"
    assert (as_of.reported, as_of.known_by_date, as_of.well_supported, as_of.weak) == (5, 2, 1, 1)
    assert as_of.not_identified == 3 and products_kind.missing == 3
    assert [(n.slug, n.reason.value, n.date) for n in as_of.later] == [
        ("changle-tianjiu", "dated_after", "2016-11")
    ]
    assert {(n.slug, n.reason.value) for n in as_of.unknown_date} == {
        ("huarong-jiecai", "no_source_by_date"),
        ("huarong-dahu-pangtouyu", "not_granted"),
    }
    assert products_kind.recorded == 5  # every recorded protection is still listed, counted or not


def test_a_date_known_only_to_the_year_of_the_total_is_not_counted_before_its_end(data_copy: Path) -> None:
    def totals(records: list[dict]) -> None:
        next(r for r in records if r["kind"] == "gi_protected_product")["as_of"] = "2016-06-30"

    def products(records: list[dict]) -> None:
        _protection(records, "changle-tianjiu", "pgi").update(registration_date="2016", status="registered")

    _edit(data_copy / "official_totals.yaml", totals)
    _edit(data_copy / "indications.yaml", products)
    kinds = {k.kind.value: k for k in checks.check_dataset(read_dataset(data_copy)).coverage.kinds}
    as_of = kinds["gi_protected_product"].as_of
    assert as_of is not None
    spans = [n for n in as_of.unknown_date if n.slug == "changle-tianjiu"]
    assert [(n.reason.value, n.date) for n in spans] == [("date_spans_as_of", "2016")]


def test_the_real_dataset_does_not_claim_all_five_gi_protected_products_of_2020() -> None:
    kinds = {k.kind.value: k for k in checks.check_dataset(read_dataset(DATA_DIR)).coverage.kinds}
    products = kinds["gi_protected_product"]
    as_of = products.as_of
    assert as_of is not None and (as_of.as_of, as_of.reported) == ("2020-12-31", 5)
    # Three of the five recorded rest on undated or post-2020 pages: they do not fill the 2020 total.
    assert as_of.known_by_date < 5 and products.missing == 5 - as_of.known_by_date > 0
    assert {"huarong-jiecai", "huarongdao-zhoupigan", "huarong-dahu-pangtouyu"} <= {
        n.slug for n in as_of.unknown_date + as_of.later
    }
    trademarks = kinds["gi_trademark"].as_of
    assert trademarks is not None and trademarks.reported == 32
    assert trademarks.well_supported + trademarks.weak + trademarks.not_identified == 32
