"""`data check`: load the dataset into a scratch database and report on it with the API's own services."""

from dataclasses import dataclass

from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import Dataset
from gi_registry.geo.models import AreaPlace, PlaceLevel, ProductionArea
from gi_registry.indications.coverage import Coverage, coverage
from gi_registry.indications.models import Indication, Protection
from gi_registry.ops import migrate


@dataclass
class CheckReport:
    """What `data check` prints: the coverage report and township names without a code."""

    coverage: Coverage
    unmatched_townships: list[tuple[str, str]]


def check_dataset(dataset: Dataset) -> CheckReport:
    """Load `dataset` into an in-memory database (through the migrations) and report on it."""
    url = "sqlite://"
    engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    try:
        migrate.upgrade(url, engine=engine)
        with Session(engine) as session:
            load_dataset(session, dataset, reason="data check (scratch database)")
            unmatched = session.exec(
                select(Indication.name_zh, AreaPlace.name_zh)
                .join(ProductionArea, ProductionArea.id == AreaPlace.area_id)
                .join(Protection, Protection.id == ProductionArea.protection_id)
                .join(Indication, Indication.id == Protection.indication_id)
                .where(AreaPlace.level == PlaceLevel.township, AreaPlace.code.is_(None))
                .order_by(Indication.id, AreaPlace.position)
            ).all()
            return CheckReport(
                coverage=coverage(session), unmatched_townships=[tuple(row) for row in unmatched]
            )
    finally:
        engine.dispose()
