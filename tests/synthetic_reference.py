"""The synthetic generator as it was before draws.py: one dict per row, random.Random called per value.

Kept unchanged as the reference the bulk generator (gi_registry/synthetic/generate.py) must match
row for row; tests/dataset/test_synthetic.py compares the two on a few seeds and sizes.
"""

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gi_registry.core.workdays import add_workdays
from gi_registry.producers.uscc import organization_code_check_character, uscc_check_character
from gi_registry.synthetic.shape import (
    MARK,
    PRODUCTS,
    REFERENCE_DAY,
    REFERENCE_TIME,
    SHORT_MARK,
    Sizes,
    producer_username,
)

KINDS = ("gi_trademark", "gi_protected_product", "agricultural_product_gi")
AUTHORITY = {"gi_trademark": "cnipa", "gi_protected_product": "aqsiq", "agricultural_product_gi": "moa"}
NUMBER_KIND = {
    "gi_trademark": "trademark_registration",
    "gi_protected_product": "announcement",
    "agricultural_product_gi": "agi_certificate",
}
# Renewal states in proportions a busy bureau might show: most decided, a tail still open.
RENEWAL_STATES = (("approved", 50), ("rejected", 8), ("returned", 7), ("under_review", 15), ("submitted", 20))
AUDIT_RESULTS = (("compliant", 80), ("minor_nonconformity", 15), ("major_nonconformity", 5))
AUTHORIZATION_STATES = (("active", 80), ("switch_required", 12), ("suspended", 5), ("revoked", 3))


@dataclass(frozen=True)
class County:
    """A county-level division the synthetic records are placed in."""

    code: str
    name_zh: str
    geometry: BaseGeometry
    townships: tuple[str, ...]


@dataclass(frozen=True)
class GIPlan:
    """What the later tables need to know about one generated GI."""

    id: int
    county: County
    lon: float
    lat: float
    half_width: float
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class LinkPlan:
    """A generated producer–GI link; authorized users are the ones renewals and audits refer to."""

    id: int
    producer_id: int
    indication_id: int
    role: str


@lru_cache(maxsize=4096)
def _review_due(submitted: date) -> date:
    # The holiday calendar is slow to consult, and 300,000 renewals share about 1,100 submission days.
    return add_workdays(submitted, 10)


@lru_cache(maxsize=64)
def _cumulative(choices: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [c for c, _ in choices], list(itertools.accumulate(w for _, w in choices))


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    population, cumulative = _cumulative(choices)
    return rng.choices(population, cum_weights=cumulative)[0]


def _points_in(rng: random.Random, geometry: BaseGeometry, count: int) -> list[tuple[float, float]]:
    """`count` uniformly random points inside `geometry` (rejection sampling in its bounds, vectorised)."""
    min_x, min_y, max_x, max_y = geometry.bounds
    shapely.prepare(geometry)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        batch = max(64, 2 * (count - len(points)))
        xs = np.array([rng.uniform(min_x, max_x) for _ in range(batch)])
        ys = np.array([rng.uniform(min_y, max_y) for _ in range(batch)])
        inside = shapely.contains_xy(geometry, xs, ys)
        points.extend(zip(xs[inside].round(6).tolist(), ys[inside].round(6).tolist(), strict=True))
    return points[:count]


def _spread(rng: random.Random, counties: list[County], count: int) -> list[tuple[County, float, float]]:
    """`count` places spread over the counties in proportion to their area, shuffled."""
    areas = [c.geometry.area for c in counties]
    per_county = [0] * len(counties)
    for index in rng.choices(range(len(counties)), weights=areas, k=count):
        per_county[index] += 1
    places = [
        (county, lon, lat)
        for county, n in zip(counties, per_county, strict=True)
        for lon, lat in _points_in(rng, county.geometry, n)
    ]
    rng.shuffle(places)
    return places


def synthetic_uscc(county_code: str, serial: int) -> str:
    """A unified social credit code that passes both checks; the body 'XN…' marks it as generated."""
    body = f"XN{serial:06d}"
    first17 = "93" + county_code + body + organization_code_check_character(body)
    return first17 + uscc_check_character(first17)


def _degrees(value: float) -> str:
    whole = int(value)
    return f"{whole}°{round((value - whole) * 60):02d}′"


def _kinds(rng: random.Random) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(KINDS, rng.randint(1, 3))))


class Generator:
    """Plans the dataset once (places, kinds, links), then streams each table's rows."""

    def __init__(self, sizes: Sizes, seed: int, counties: list[County], password_hash: str) -> None:
        if not counties:
            raise ValueError("no county with a boundary to place synthetic records in")
        self.sizes = sizes
        self.seed = seed
        self.password_hash = password_hash
        self.official_id = sizes.producers + 1
        rng = self._rng("plan")
        self.gis = [
            GIPlan(
                n,
                county,
                lon,
                lat,
                rng.uniform(0.01, 0.08),
                tuple(sorted(rng.sample(KINDS, rng.randint(1, 3)))),
            )
            for n, (county, lon, lat) in enumerate(_spread(rng, counties, sizes.indications), start=1)
        ]
        self.producer_places = _spread(self._rng("producer places"), counties, sizes.producers)
        self.links = self._plan_links()
        self.authorized = [link for link in self.links if link.role == "authorized_user"]

    def _rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    def _plan_links(self) -> list[LinkPlan]:
        rng = self._rng("link plan")
        by_county: dict[str, list[int]] = {}
        for gi in self.gis:
            by_county.setdefault(gi.county.code, []).append(gi.id)
        all_ids = [gi.id for gi in self.gis]
        links: list[LinkPlan] = []
        for producer_id, (county, _lon, _lat) in enumerate(self.producer_places, start=1):
            # Most producers use one GI of their own county; some hold two, a few one from elsewhere.
            nearby = by_county.get(county.code) or all_ids
            wanted = 1 if rng.random() < 0.6 else 2
            chosen = {rng.choice(nearby if rng.random() < 0.9 else all_ids) for _ in range(wanted)}
            for indication_id in sorted(chosen):
                role = "authorized_user" if rng.random() < 0.9 else rng.choice(("holder", "applicant"))
                links.append(LinkPlan(len(links) + 1, producer_id, indication_id, role))
        return links

    def table_sizes(self) -> dict[str, int]:
        """Rows each table will receive, for progress bars and the report."""
        protections = sum(len(gi.kinds) for gi in self.gis)
        return {
            "indication": len(self.gis),
            "indication_county": len(self.gis),
            "protection": protections,
            "production_area": protections,
            "producer": self.sizes.producers,
            "user_account": self.sizes.producers + 1,
            "producer_link": len(self.links),
            "renewal": self.sizes.renewals if self.authorized else 0,
            "audit": self.sizes.audits if self.links else 0,
        }

    def rows(self, table: str) -> Iterator[dict]:
        """The rows of one table, in id order."""
        return getattr(self, f"_{table}")()

    def _indication(self) -> Iterator[dict]:
        for gi in self.gis:
            category, word_zh, word_en = PRODUCTS[(gi.id * 7 + self.seed) % len(PRODUCTS)]
            name_zh = f"{gi.county.name_zh}{word_zh}{gi.id:05d}{SHORT_MARK}"
            name_en = f"Synthetic {gi.county.name_zh} {word_en} {gi.id:05d}"
            yield {
                "id": gi.id,
                "slug": f"synthetic-{gi.id:05d}",
                "name_zh": name_zh,
                "name_pinyin": None,
                "name_en": name_en,
                "category": category,
                "notes": f"{MARK} gi-registry data synth --seed {self.seed}",
                "search_text": f"{name_zh} {name_en} synthetic-{gi.id:05d}".lower(),
                "synthetic": True,
            }

    def _indication_county(self) -> Iterator[dict]:
        for gi in self.gis:
            yield {"indication_id": gi.id, "county_code": gi.county.code}

    def _protections(self) -> Iterator[tuple[int, GIPlan, str]]:
        protection_id = 0
        for gi in self.gis:
            for kind in gi.kinds:
                protection_id += 1
                yield protection_id, gi, kind

    def _protection(self) -> Iterator[dict]:
        rng = self._rng("protection")
        for protection_id, gi, kind in self._protections():
            registered = REFERENCE_DAY - timedelta(days=rng.randint(200, 20 * 365))
            applied = registered - timedelta(days=rng.randint(90, 900))
            yield {
                "id": protection_id,
                "indication_id": gi.id,
                "key": kind,
                "kind": kind,
                "mark_type": rng.choice(("certification", "collective")) if kind == "gi_trademark" else None,
                "authority": AUTHORITY[kind],
                "number": f"SYN{protection_id:08d}",
                "number_kind": NUMBER_KIND[kind],
                "status": _weighted(rng, (("registered", 90), ("applied", 6), ("cancelled", 4))),
                "application_date": applied.isoformat(),
                "registration_date": registered.isoformat(),
                "date_note": None,
                "holder_name": f"{gi.county.name_zh}合成产业协会{gi.id:05d}{SHORT_MARK}",
                "applicant_name": None,
                "confidence": rng.choice(("H", "M", "L")),
                "renewed_through": None,
                "notes": MARK,
                "synthetic": True,
            }

    def _production_area(self) -> Iterator[dict]:
        rng = self._rng("production area")
        for protection_id, gi, _kind in self._protections():
            # A declared coordinate rectangle around the GI's place, as sources print them.
            half_height = gi.half_width * rng.uniform(0.6, 1.2)
            lon_min, lon_max = round(gi.lon - gi.half_width, 5), round(gi.lon + gi.half_width, 5)
            lat_min, lat_max = round(gi.lat - half_height, 5), round(gi.lat + half_height, 5)
            yield {
                "id": protection_id,
                "protection_id": protection_id,
                "description_zh": f"{gi.county.name_zh}境内的合成生产区域{SHORT_MARK}",
                "coordinate_range": f"东经{_degrees(lon_min)}—{_degrees(lon_max)}，"
                f"北纬{_degrees(lat_min)}—{_degrees(lat_max)}",
                "area_ha": round((lon_max - lon_min) * (lat_max - lat_min) * 1_000_000, 1),
                "summary_note": MARK,
                "lon_min": lon_min,
                "lat_min": lat_min,
                "lon_max": lon_max,
                "lat_max": lat_max,
            }

    def _producer(self) -> Iterator[dict]:
        rng = self._rng("producer")
        for producer_id, (county, lon, lat) in enumerate(self.producer_places, start=1):
            yield {
                "id": producer_id,
                "key": f"synthetic-p{producer_id:06d}",
                "name_zh": f"{county.name_zh}合成生产者{producer_id:06d}{SHORT_MARK}",
                "name_en": f"Synthetic producer {producer_id:06d}",
                "uscc": synthetic_uscc(county.code, producer_id),
                "county_code": county.code,
                "township_code": rng.choice(county.townships) if county.townships else None,
                "address": f"合成地址 {producer_id} {MARK}",
                "lon": lon,
                "lat": lat,
                "synthetic": True,
            }

    def _user_account(self) -> Iterator[dict]:
        # One account per producer, all with the same password: for load tests, never for people.
        for producer_id in range(1, self.sizes.producers + 1):
            yield {
                "id": producer_id,
                "username": producer_username(producer_id),
                "password_hash": self.password_hash,
                "role": "producer",
                "producer_id": producer_id,
                "is_active": True,
                "created_at": REFERENCE_TIME - timedelta(days=400),
                "synthetic": True,
            }
        yield {
            "id": self.official_id,
            "username": "synth-official",
            "password_hash": self.password_hash,
            "role": "official",
            "producer_id": None,
            "is_active": True,
            "created_at": REFERENCE_TIME - timedelta(days=400),
            "synthetic": True,
        }

    def _producer_link(self) -> Iterator[dict]:
        rng = self._rng("producer link")
        for link in self.links:
            authorized = link.role == "authorized_user"
            granted = REFERENCE_DAY - timedelta(days=rng.randint(30, 12 * 365))
            yield {
                "id": link.id,
                "producer_id": link.producer_id,
                "indication_id": link.indication_id,
                "role": link.role,
                "label_version": rng.choice(("legacy", "unified")) if authorized else None,
                "authorized": granted.isoformat() if authorized else None,
                "announcement_number": f"合成公告{link.id:07d}" if authorized else None,
                "status": _weighted(rng, AUTHORIZATION_STATES) if authorized else None,
                "valid_until": granted + timedelta(days=3 * 365)
                if authorized and rng.random() < 0.5
                else None,
                "standard_id": None,
                "synthetic": True,
            }

    def _renewal(self) -> Iterator[dict]:
        if not self.authorized:
            return
        rng = self._rng("renewal")
        for renewal_id in range(1, self.sizes.renewals + 1):
            link = self.authorized[rng.randrange(len(self.authorized))]
            status = _weighted(rng, RENEWAL_STATES)
            submitted = REFERENCE_TIME - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            decided = status not in ("submitted", "under_review")
            yield {
                "id": renewal_id,
                "authorization_id": link.id,
                "producer_id": link.producer_id,
                "status": status,
                "submitted_at": submitted,
                "review_due": _review_due(submitted.date()),
                "submitted_by": link.producer_id,
                "idempotency_key": None,
                "decided_at": submitted + timedelta(days=rng.randint(1, 20)) if decided else None,
                "decided_by": self.official_id if decided or status == "under_review" else None,
                "decision_reason": f"合成审查意见 {status}{SHORT_MARK}" if decided else None,
                "synthetic": True,
            }

    def _audit(self) -> Iterator[dict]:
        if not self.links:
            return
        rng = self._rng("audit")
        for audit_id in range(1, self.sizes.audits + 1):
            link = self.links[rng.randrange(len(self.links))]
            result = _weighted(rng, AUDIT_RESULTS)
            day = REFERENCE_DAY - timedelta(days=rng.randint(0, 5 * 365))
            nonconforming = result != "compliant"
            closed = not nonconforming or rng.random() < 0.7
            yield {
                "id": audit_id,
                "producer_id": link.producer_id,
                "indication_id": link.indication_id,
                "standard_id": None,
                "audit_date": day,
                "officials": [f"合成检查员{rng.randint(1, 60):02d}"],
                "checklist": [
                    {"item": "产地范围 production area", "passed": True, "note": None},
                    {
                        "item": "专用标志使用 use of the special mark",
                        "passed": not nonconforming,
                        "note": None,
                    },
                ],
                "result": result,
                "findings": f"合成检查记录 {result}{SHORT_MARK}",
                "rectify_by": day + timedelta(days=30) if nonconforming else None,
                "follow_up": "合成整改记录" + SHORT_MARK if nonconforming and closed else None,
                "closed": closed,
                "recorded_by": self.official_id,
                "recorded_at": REFERENCE_TIME - timedelta(days=(REFERENCE_DAY - day).days),
                "synthetic": True,
            }


TABLE_ORDER = (
    "indication",
    "indication_county",
    "protection",
    "production_area",
    "producer",
    "user_account",
    "producer_link",
    "renewal",
    "audit",
)
