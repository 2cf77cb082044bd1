"""The dataset loader: idempotent, all-or-nothing, precise about what is wrong, and faithful to data/."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from gi_registry.dataset import loader as loader_module
from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import DataFileError, read_dataset
from gi_registry.geo.models import AdminArea, AreaLevel, AreaPlace
from gi_registry.history.models import ChangeLog
from gi_registry.indications.models import Indication, Protection, ProtectionKind
from gi_registry.sources.models import Citation, EntityType
from tests.conftest import DATA_DIR

TABLES = [
    "admin_area", "indication", "indication_county", "protection", "production_area", "area_place",
    "citation", "standard", "standard_indication", "producer", "producer_link", "official_total",
    "change_log",
]  # fmt: skip


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def edit_yaml(path: Path, change) -> None:  # noqa: ANN001 - a function that mutates the parsed list
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_first_load_writes_the_dataset_and_logs_it(empty_engine: Engine) -> None:
    with Session(empty_engine) as session:
        report = load_dataset(session, read_dataset(DATA_DIR))
        assert report.created["indication"] == 21
        assert session.exec(select(func.count()).select_from(Indication)).one() == 21
        codes = session.exec(select(AdminArea.code)).all()
        assert len([c for c in codes if c.startswith("4306")]) == 149  # city, 10 county-level, 138 townships
        assert len([c for c in codes if not c.startswith("4306")]) == 6  # neighbouring prefectures
        created = session.exec(select(ChangeLog).where(ChangeLog.field.is_(None))).all()
        assert {row.actor for row in created} == {"data-loader"}
        assert len({row.change_set for row in session.exec(select(ChangeLog))}) == 1
    assert report.changes == row_counts(empty_engine)["change_log"]


def test_loading_twice_changes_nothing(empty_engine: Engine) -> None:
    dataset = read_dataset(DATA_DIR)
    with Session(empty_engine) as session:
        load_dataset(session, dataset)
    first = row_counts(empty_engine)
    with Session(empty_engine) as session:
        second_report = load_dataset(session, read_dataset(DATA_DIR))
    assert not second_report.changed_anything
    assert row_counts(empty_engine) == first


def test_a_changed_fact_is_updated_and_logged_old_to_new(engine: Engine, data_copy: Path) -> None:
    def change(records: list) -> None:
        records[0]["protections"][0]["holder_name"] = "测试持有人"

    edit_yaml(data_copy / "indications.yaml", change)
    before = row_counts(engine)
    with Session(engine) as session:
        report = load_dataset(session, read_dataset(data_copy), actor="official:test", reason="correction")
        rows = session.exec(select(ChangeLog).where(ChangeLog.actor == "official:test")).all()
    assert report.changes == 1
    assert [(r.entity_type, r.field, r.old_value, r.new_value, r.reason) for r in rows] == [
        ("protection", "holder_name", None, "测试持有人", "correction")
    ]
    after = row_counts(engine)
    assert after["change_log"] == before["change_log"] + 1
    assert {k: v for k, v in after.items() if k != "change_log"} == {
        k: v for k, v in before.items() if k != "change_log"
    }


def test_malformed_record_names_file_record_line_and_field(data_copy: Path) -> None:
    def change(records: list) -> None:
        records[2]["protections"][1]["kind"] = "gi_certificate"

    edit_yaml(data_copy / "indications.yaml", change)
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    [problem] = caught.value.problems
    assert problem.file == "indications.yaml"
    assert problem.record == 3
    assert problem.key == "huarong-jiecai"
    assert problem.field == "protections[1].kind"
    assert problem.line is not None and problem.line > 1
    assert "gi_trademark" in problem.message
    assert "indications.yaml, record 3 (huarong-jiecai), line" in str(problem)


@pytest.mark.parametrize(
    ("file", "change", "field", "message"),
    [
        ("indications.yaml", lambda r: r[0].update(sources=[]), "sources", "at least one source"),
        (
            "indications.yaml",
            lambda r: r[0]["protections"][0].update(registration_date="2014-13-01"),
            "protections[0].registration_date",
            "no month 13",
        ),
        (
            "indications.yaml",
            lambda r: r[0].update(counties=["439999"]),
            "counties[0]",
            "not a city or county",
        ),
        ("indications.yaml", lambda r: r[1].update(slug=r[0]["slug"]), "slug", "more than one product"),
        ("indications.yaml", lambda r: r[0].update(name_zh="湘阴藠头"), "name_zh", "not a GI"),
        ("indications.yaml", lambda r: r[0].update(colour="yellow"), "colour", "Extra inputs"),
        (
            "indications.yaml",
            lambda r: r[0]["sources"][0].update(url="ftp://example.org/x"),
            "sources[0]",
            "http",
        ),
        (
            "indications.yaml",
            lambda r: r[4]["protections"][1]["area"].update(coordinate_range="somewhere"),
            "protections[1].area.coordinate_range",
            "not a coordinate range",
        ),
        ("producers.yaml", lambda r: r[0].update(uscc="91350100M000100Y44"), "uscc", "check character"),
        (
            "producers.yaml",
            lambda r: r[0]["links"][0].update(indication="no-such-gi"),
            "links[0].indication",
            "no GI product",
        ),
        ("standards.yaml", lambda r: r[0].update(supersedes="missing-standard"), "supersedes", "no standard"),
    ],
)
def test_each_kind_of_bad_input_is_refused_with_its_reason(
    data_copy: Path,
    file: str,
    change,
    field: str,
    message: str,  # noqa: ANN001
) -> None:
    edit_yaml(data_copy / file, change)
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    problems = caught.value.problems
    assert any(p.file == file and p.field == field and message in p.message for p in problems), problems


def test_broken_yaml_reports_the_line(data_copy: Path) -> None:
    path = data_copy / "standards.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- key: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    [problem] = caught.value.problems
    assert (
        problem.file == "standards.yaml" and problem.line is not None and "not valid YAML" in problem.message
    )


def test_a_failure_midway_leaves_the_database_as_it_was(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, data_copy: Path
) -> None:
    def change(records: list) -> None:
        records[0]["name_en"] = "changed before the failure"

    edit_yaml(data_copy / "indications.yaml", change)
    before = row_counts(engine)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader_module, "_load_producer", explode)
    with Session(engine) as session, pytest.raises(RuntimeError, match="disk full"):
        load_dataset(session, read_dataset(data_copy))
    assert row_counts(engine) == before
    with Session(engine) as session:
        assert (
            session.exec(select(Indication.name_en).where(Indication.id == 1)).one() == "Yueyang yellow tea"
        )


def test_every_record_carries_its_sources(session: Session) -> None:
    for entity_type, model in ((EntityType.indication, Indication), (EntityType.protection, Protection)):
        ids = set(session.exec(select(model.id)).all())
        cited = set(session.exec(select(Citation.entity_id).where(Citation.entity_type == entity_type)).all())
        assert ids and ids <= cited, f"{entity_type} without sources: {ids - cited}"


def test_known_facts_are_loaded_as_the_sources_state(session: Session) -> None:
    jiecai = session.exec(select(Indication).where(Indication.name_zh == "华容芥菜")).one()
    kinds = sorted(
        p.kind for p in session.exec(select(Protection).where(Protection.indication_id == jiecai.id))
    )
    assert kinds == sorted(ProtectionKind)  # one product, three protections
    agi = session.exec(select(Protection).where(Protection.number == "AGI00079")).one()
    assert agi.indication_id == jiecai.id and agi.registration_date == "2008-11-03"
    names = set(session.exec(select(Indication.name_zh)).all())
    assert {"湘阴藠头", "汨罗粽子", "平江酱干"}.isdisjoint(names)


def test_township_names_are_linked_to_codes_within_the_county(session: Session) -> None:
    place = session.exec(select(AreaPlace).where(AreaPlace.name_zh == "樟树镇")).first()
    assert place is not None and place.code is not None
    township = session.get(AdminArea, place.code)
    assert township.level == AreaLevel.township and township.parent_code == "430624"


def test_values_longer_than_the_columns_are_refused_before_the_database(data_copy: Path) -> None:
    edit_yaml(data_copy / "indications.yaml", lambda r: r[0].update(notes="长" * 2001))
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    assert [p.field for p in caught.value.problems] == ["notes"]


def _zhangshugang_tm(records: list[dict]) -> dict:
    product = next(r for r in records if r["slug"] == "zhangshugang-lajiao")
    return next(p for p in product["protections"] if p["key"] == "tm")


def test_an_inferred_value_stored_as_a_fact_is_refused(data_copy: Path) -> None:
    # 樟树港辣椒's trademark authority is only inferred from its date: stored as a value, it is refused.
    def infer(records: list[dict]) -> None:
        tm = _zhangshugang_tm(records)
        tm["inferred"] = {"authority": "saic_ctmo because it was registered before 2018 (inference)"}
        tm["authority"] = "saic_ctmo"

    edit_yaml(data_copy / "indications.yaml", infer)
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    message = str(caught.value)
    assert "indications.yaml" in message and "zhangshugang-lajiao" in message
    assert "'authority' is 'saic_ctmo' but its only support is an inference" in message

    # Null, with the reasoning kept, is how an inference is recorded; that loads.
    edit_yaml(
        data_copy / "indications.yaml", lambda records: _zhangshugang_tm(records).update(authority=None)
    )
    read_dataset(data_copy)


def test_an_inferred_status_must_stay_unknown_and_name_a_real_field(data_copy: Path) -> None:
    def infer(records: list[dict]) -> None:
        tm = _zhangshugang_tm(records)
        tm["inferred"] = {"status": "guessed from a 2025 news sentence", "colour": "not a field"}
        tm["status"] = "registered"

    edit_yaml(data_copy / "indications.yaml", infer)
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    assert "inferred names 'colour'" in str(caught.value)

    def only_status(records: list[dict]) -> None:
        _zhangshugang_tm(records)["inferred"].pop("colour")

    edit_yaml(data_copy / "indications.yaml", only_status)
    with pytest.raises(DataFileError) as caught:
        read_dataset(data_copy)
    assert "'status' is 'registered' but its only support is an inference" in str(caught.value)
    assert "set 'status' to unknown" in str(caught.value)
