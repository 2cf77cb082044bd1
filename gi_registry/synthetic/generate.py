"""Deterministic row generators: the same seed and sizes give the same rows, on any machine.

Each table has its own random stream (seeded by seed and table name), so changing how one table is
generated does not reshuffle the others. A table comes out as columns of plain values, in id order;
ids are assigned here because the target database starts empty.

The draws are random.Random's, in the order a row-by-row loop would make them (see draws.py for how
they are computed in bulk): the generated rows are the same as when each row was a dict built by a
Python loop. Values are plain Python values, except that dates are ISO strings and timestamps UTC
strings "YYYY-MM-DD HH:MM:SS", which bulk.py finishes for each database.
"""

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gi_registry.core.workdays import add_workdays, is_workday
from gi_registry.producers.uscc import (
    _ORG_VALUES,
    _ORG_WEIGHTS,
    _USCC_WEIGHTS,
    USCC_CHARSET,
    organization_code_check_character,
    uscc_check_character,
)
from gi_registry.synthetic.draws import Draws, draw_rows, randoms, weighted
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
PROTECTION_STATES = (("registered", 90), ("applied", 6), ("cancelled", 4))
ROLES = ("authorized_user", "holder", "applicant")

# A table: its column names, and one sequence of values per column (all of the same length).
Columns = tuple[tuple[str, ...], list[Sequence]]

_DAY = np.datetime64(REFERENCE_DAY.isoformat(), "D")
_TIME = np.datetime64(REFERENCE_TIME.replace(tzinfo=None).isoformat(), "s")


@dataclass(frozen=True)
class County:
    """A county-level division the synthetic records are placed in."""

    code: str
    name_zh: str
    geometry: BaseGeometry
    townships: tuple[str, ...]


@dataclass(frozen=True)
class Links:
    """The producer–GI links, in link id order (id = index + 1)."""

    producer: np.ndarray
    indication: np.ndarray
    role: np.ndarray  # index into ROLES
    authorized: np.ndarray  # indexes of the authorized-user links, which renewals refer to


@dataclass(frozen=True)
class GIPlan:
    """What the later tables need to know about one generated GI."""

    id: int
    county: County
    lon: float
    lat: float
    half_width: float
    kinds: tuple[str, ...]


def _review_dues(days: np.ndarray) -> list[str]:
    """add_workdays(day, 10) for datetime64 days: the calendar consulted once per day of the span.

    The answer for a day is the first later day by which 10 working days have passed, found in the
    running count of working days.
    """
    first, last = days.min(), days.max() + np.timedelta64(60, "D")
    span = np.arange(first, last + np.timedelta64(1, "D"))
    working = np.array([is_workday(day) for day in span.astype(object).tolist()])
    counted = np.cumsum(working)
    start = (days - first).astype(np.int64)
    due = np.searchsorted(counted, counted[start] + 10, side="left")
    if (due >= len(span)).any():  # more than 60 days of holidays: count them one by one
        return [add_workdays(day, 10).isoformat() for day in days.astype(object).tolist()]
    return _iso(span[due])


def _population(choices: tuple[tuple[str, int], ...]) -> tuple[np.ndarray, list[int]]:
    return np.array([c for c, _ in choices], dtype=object), list(itertools.accumulate(w for _, w in choices))


def _weighted(values: np.ndarray, choices: tuple[tuple[str, int], ...]) -> np.ndarray:
    """What rng.choices(population, cum_weights=...)[0] gives for these rng.random() values."""
    population, cumulative = _population(choices)
    return population[weighted(values, cumulative)]


def _days_before(days: np.ndarray) -> np.ndarray:
    """REFERENCE_DAY minus `days`, as datetime64 days."""
    return _DAY - days.astype("timedelta64[D]")


def _iso(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days, unit="D").tolist()


def _stamps(seconds: np.ndarray) -> list[str]:
    """datetime64 seconds as UTC 'YYYY-MM-DD HH:MM:SS'."""
    text = np.datetime_as_string(seconds, unit="s").astype("<U19")  # "YYYY-MM-DDTHH:MM:SS", UCS-4
    characters = text.view(np.uint32).reshape(-1, 19)
    characters[:, 10] = ord(" ")
    return characters.view("<U19").ravel().tolist()


def _or_none(values: list, keep: np.ndarray) -> list:
    return [v if k else None for v, k in zip(values, keep.tolist(), strict=True)]


def _points_in(rng: random.Random, geometry: BaseGeometry, count: int) -> list[tuple[float, float]]:
    """`count` uniformly random points inside `geometry` (rejection sampling in its bounds, vectorised)."""
    min_x, min_y, max_x, max_y = geometry.bounds
    shapely.prepare(geometry)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        batch = max(64, 2 * (count - len(points)))
        # rng.uniform(a, b) is a + (b - a) * rng.random(): the same arithmetic, element by element.
        xs = min_x + (max_x - min_x) * randoms(rng, batch)
        ys = min_y + (max_y - min_y) * randoms(rng, batch)
        inside = shapely.contains_xy(geometry, xs, ys)
        points.extend(zip(xs[inside].round(6).tolist(), ys[inside].round(6).tolist(), strict=True))
    return points[:count]


def _spread(rng: random.Random, counties: list[County], count: int) -> list[tuple[County, float, float]]:
    """`count` places spread over the counties in proportion to their area, shuffled."""
    cumulative = list(itertools.accumulate(c.geometry.area for c in counties))
    per_county = np.bincount(weighted(randoms(rng, count), cumulative), minlength=len(counties)).tolist()
    places = [
        (county, lon, lat)
        for county, n in zip(counties, per_county, strict=True)
        for lon, lat in _points_in(rng, county.geometry, n)
    ]
    _shuffle(rng, places)
    return places


def _shuffle(rng: random.Random, items: list) -> None:
    """rng.shuffle(items), with its _randbelow (getrandbits, again while too large) inlined."""
    bits = rng.getrandbits
    for i in reversed(range(1, len(items))):
        n = i + 1
        k = n.bit_length()
        j = bits(k)
        while j >= n:
            j = bits(k)
        items[i], items[j] = items[j], items[i]


def synthetic_uscc(county_code: str, serial: int) -> str:
    """A unified social credit code that passes both checks; the body 'XN…' marks it as generated."""
    body = f"XN{serial:06d}"
    first17 = "93" + county_code + body + organization_code_check_character(body)
    return first17 + uscc_check_character(first17)


def _synthetic_usccs(county_codes: list[str], serials: np.ndarray) -> list[str]:
    """synthetic_uscc for many producers at once (both checks are weighted sums of the characters)."""
    digits = np.stack([(serials // 10 ** (5 - i)) % 10 for i in range(6)], axis=1)
    organization = (
        _ORG_VALUES["X"] * _ORG_WEIGHTS[0] + _ORG_VALUES["N"] * _ORG_WEIGHTS[1]
    ) + digits @ np.array(_ORG_WEIGHTS[2:])
    remainder = 11 - organization % 11
    check9 = np.array(["0"] + [str(d) for d in range(1, 10)] + ["X", "0"])[remainder]
    index = {c: i for i, c in enumerate(USCC_CHARSET)}
    prefix = {
        code: sum(index[c] * w for c, w in zip("93" + code + "XN", _USCC_WEIGHTS[:10], strict=True))
        for code in set(county_codes)
    }
    totals = (
        np.array([prefix[code] for code in county_codes])
        + digits @ np.array(_USCC_WEIGHTS[10:16])
        + np.array([index[c] for c in check9.tolist()]) * _USCC_WEIGHTS[16]
    )
    check18 = np.array(list(USCC_CHARSET))[(31 - totals % 31) % 31]
    return [
        f"93{code}XN{serial:06d}{c9}{c18}"
        for code, serial, c9, c18 in zip(
            county_codes, serials.tolist(), check9.tolist(), check18.tolist(), strict=True
        )
    ]


def _degrees(value: float) -> str:
    whole = int(value)
    return f"{whole}°{round((value - whole) * 60):02d}′"


def _select(condition: np.ndarray, if_true: np.ndarray, if_false: np.ndarray) -> np.ndarray:
    return np.where(condition, if_true, if_false)


class Generator:
    """Plans the dataset once (places, kinds, links), then gives each table's columns."""

    def __init__(
        self, sizes: Sizes, seed: int, counties: list[County], password_hash: str | Callable[[], str]
    ) -> None:
        if not counties:
            raise ValueError("no county with a boundary to place synthetic records in")
        self.sizes = sizes
        self.seed = seed
        # The accounts' shared hash, or how to compute it (argon2 is slow on purpose: only when needed).
        self._password_hash = password_hash
        self.official_id = sizes.producers + 1
        self.counties = counties
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
        county_index = {county.code: i for i, county in enumerate(counties)}
        self.producer_county = np.array([county_index[c.code] for c, _lon, _lat in self.producer_places])

    @cached_property
    def password_hash(self) -> str:
        """The password hash every synthetic account shares (computed once)."""
        given = self._password_hash
        return given if isinstance(given, str) else given()

    def _rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    @cached_property
    def links(self) -> Links:
        """Links of producers to GIs (planned when first needed: the first tables do without).

        A plain loop over the producers, drawing from "link plan" exactly as random.Random's choice()
        does (its _randbelow: getrandbits of the bound's bit length, again while too large), inlined.
        """
        rng = self._rng("link plan")
        random_, bits = rng.random, rng.getrandbits
        by_county: dict[str, list[int]] = {}
        for gi in self.gis:
            by_county.setdefault(gi.county.code, []).append(gi.id)
        all_ids = [gi.id for gi in self.gis]
        everywhere = (all_ids, len(all_ids), len(all_ids).bit_length())
        options = [by_county.get(c.code) or all_ids for c in self.counties]
        nearby = [(ids, len(ids), len(ids).bit_length()) for ids in options]
        producers, indications, roles = [], [], []
        for producer_id, county in enumerate(self.producer_county.tolist(), start=1):
            # Most producers use one GI of their own county; some hold two, a few one from elsewhere.
            wanted = 1 if random_() < 0.6 else 2
            chosen = set()
            for _ in range(wanted):
                ids, n, k = nearby[county] if random_() < 0.9 else everywhere
                r = bits(k)
                while r >= n:
                    r = bits(k)
                chosen.add(ids[r])
            for indication_id in sorted(chosen):
                if random_() < 0.9:
                    role = 0  # authorized user
                else:
                    r = bits(2)  # rng.choice((holder, applicant))
                    while r >= 2:
                        r = bits(2)
                    role = 1 + r
                producers.append(producer_id)
                indications.append(indication_id)
                roles.append(role)
        role = np.array(roles, dtype=np.int64)
        return Links(
            np.array(producers, dtype=np.int64),
            np.array(indications, dtype=np.int64),
            role,
            np.flatnonzero(role == 0),
        )

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
            "producer_link": len(self.links.producer),
            "renewal": self.sizes.renewals if len(self.links.authorized) else 0,
            "audit": self.sizes.audits if len(self.links.producer) else 0,
        }

    def columns(self, table: str) -> Columns:
        """The columns of one table, rows in id order."""
        return getattr(self, f"_{table}")()

    def _indication(self) -> Columns:
        rows = []
        for gi in self.gis:
            category, word_zh, word_en = PRODUCTS[(gi.id * 7 + self.seed) % len(PRODUCTS)]
            name_zh = f"{gi.county.name_zh}{word_zh}{gi.id:05d}{SHORT_MARK}"
            name_en = f"Synthetic {gi.county.name_zh} {word_en} {gi.id:05d}"
            rows.append(
                (
                    gi.id,
                    f"synthetic-{gi.id:05d}",
                    name_zh,
                    None,
                    name_en,
                    category,
                    f"{MARK} gi-registry data synth --seed {self.seed}",
                    f"{name_zh} {name_en} synthetic-{gi.id:05d}".lower(),
                    True,
                )
            )
        names = ("id", "slug", "name_zh", "name_pinyin", "name_en", "category", "notes", "search_text")
        return (*names, "synthetic"), [list(column) for column in zip(*rows, strict=True)]

    def _indication_county(self) -> Columns:
        return ("indication_id", "county_code"), [
            [gi.id for gi in self.gis],
            [gi.county.code for gi in self.gis],
        ]

    def _protections(self) -> list[tuple[int, GIPlan, str]]:
        pairs = [(gi, kind) for gi in self.gis for kind in gi.kinds]
        return [(n, gi, kind) for n, (gi, kind) in enumerate(pairs, start=1)]

    def _protection(self) -> Columns:
        protections = self._protections()
        n = len(protections)
        kinds = [kind for _n, _gi, kind in protections]

        def recipe(draws: Draws, at: np.ndarray, trademark: object) -> tuple[dict, np.ndarray]:
            registered, at = draws.below(20 * 365 - 200 + 1, at)
            applied, at = draws.below(900 - 90 + 1, at)
            mark, after = draws.below(2, at)
            at = _select(trademark, after, at)
            status, at = draws.random(at)
            confidence, at = draws.below(3, at)
            return {
                "registered": registered,
                "applied": applied,
                "mark": mark,
                "status": status,
                "c": confidence,
            }, at

        trademark = [kind == "gi_trademark" for kind in kinds]
        drawn = draw_rows(
            self._rng("protection"),
            n,
            recipe,
            7,
            variants=[False, True],
            row_variant=[int(t) for t in trademark],
        )
        registered = _days_before(200 + drawn["registered"])
        applied = registered - (90 + drawn["applied"]).astype("timedelta64[D]")
        marks = np.array(["certification", "collective"], dtype=object)[drawn["mark"]].tolist()
        ids = list(range(1, n + 1))
        return (
            "id",
            "indication_id",
            "key",
            "kind",
            "mark_type",
            "authority",
            "number",
            "number_kind",
            "status",
            "application_date",
            "registration_date",
            "date_note",
            "holder_name",
            "applicant_name",
            "confidence",
            "renewed_through",
            "notes",
            "synthetic",
        ), [
            ids,
            [gi.id for _n, gi, _kind in protections],
            kinds,
            kinds,
            _or_none(marks, np.array(trademark)),
            [AUTHORITY[kind] for kind in kinds],
            [f"SYN{i:08d}" for i in ids],
            [NUMBER_KIND[kind] for kind in kinds],
            _weighted(drawn["status"], PROTECTION_STATES).tolist(),
            _iso(applied),
            _iso(registered),
            [None] * n,
            [f"{gi.county.name_zh}合成产业协会{gi.id:05d}{SHORT_MARK}" for _n, gi, _kind in protections],
            [None] * n,
            np.array(["H", "M", "L"], dtype=object)[drawn["c"]].tolist(),
            [None] * n,
            [MARK] * n,
            [True] * n,
        ]

    def _production_area(self) -> Columns:
        protections = self._protections()
        heights = randoms(self._rng("production area"), len(protections)).tolist()
        rows = []
        for (protection_id, gi, _kind), height in zip(protections, heights, strict=True):
            # A declared coordinate rectangle around the GI's place, as sources print them.
            half_height = gi.half_width * (0.6 + (1.2 - 0.6) * height)  # rng.uniform(0.6, 1.2)
            lon_min, lon_max = round(gi.lon - gi.half_width, 5), round(gi.lon + gi.half_width, 5)
            lat_min, lat_max = round(gi.lat - half_height, 5), round(gi.lat + half_height, 5)
            rows.append(
                (
                    protection_id,
                    protection_id,
                    f"{gi.county.name_zh}境内的合成生产区域{SHORT_MARK}",
                    f"东经{_degrees(lon_min)}—{_degrees(lon_max)}，北纬{_degrees(lat_min)}—{_degrees(lat_max)}",
                    round((lon_max - lon_min) * (lat_max - lat_min) * 1_000_000, 1),
                    MARK,
                    lon_min,
                    lat_min,
                    lon_max,
                    lat_max,
                )
            )
        names = ("id", "protection_id", "description_zh", "coordinate_range", "area_ha", "summary_note")
        return (*names, "lon_min", "lat_min", "lon_max", "lat_max"), [
            list(c) for c in zip(*rows, strict=True)
        ]

    def _producer(self) -> Columns:
        townships = [len(county.townships) for county in self.counties]

        def recipe(draws: Draws, at: np.ndarray, n: object) -> tuple[dict, np.ndarray]:
            if np.ndim(n):
                township, at = draws.below_each(n, at)  # type: ignore[arg-type]
            elif n:
                township, at = draws.below(int(n), at)  # type: ignore[call-overload]
            else:
                township = np.zeros(len(at), dtype=np.int64)
            return {"township": township}, at

        drawn = draw_rows(
            self._rng("producer"),
            len(self.producer_places),
            recipe,
            1.5,
            variants=townships,
            row_variant=self.producer_county.tolist(),
        )
        n = len(self.producer_places)
        ids = list(range(1, n + 1))
        places = self.producer_places
        codes = [county.code for county, _lon, _lat in places]
        return (
            "id",
            "key",
            "name_zh",
            "name_en",
            "uscc",
            "county_code",
            "township_code",
            "address",
            "lon",
            "lat",
            "synthetic",
        ), [
            ids,
            [f"synthetic-p{i:06d}" for i in ids],
            [
                f"{county.name_zh}合成生产者{i:06d}{SHORT_MARK}"
                for i, (county, _lon, _lat) in zip(ids, places, strict=True)
            ],
            [f"Synthetic producer {i:06d}" for i in ids],
            _synthetic_usccs(codes, np.arange(1, n + 1)),
            codes,
            [
                county.townships[t] if county.townships else None
                for (county, _lon, _lat), t in zip(places, drawn["township"].tolist(), strict=True)
            ],
            [f"合成地址 {i} {MARK}" for i in ids],
            [lon for _county, lon, _lat in places],
            [lat for _county, _lon, lat in places],
            [True] * n,
        ]

    def _user_account(self) -> Columns:
        # One account per producer, all with the same password: for load tests, never for people.
        n = self.sizes.producers
        created = (REFERENCE_TIME - timedelta(days=400)).strftime("%Y-%m-%d %H:%M:%S")
        return (
            "id",
            "username",
            "password_hash",
            "role",
            "producer_id",
            "is_active",
            "created_at",
            "synthetic",
        ), [
            [*range(1, n + 1), self.official_id],
            [*(producer_username(i) for i in range(1, n + 1)), "synth-official"],
            [self.password_hash] * (n + 1),
            ["producer"] * n + ["official"],
            [*range(1, n + 1), None],
            [True] * (n + 1),
            [created] * (n + 1),
            [True] * (n + 1),
        ]

    def _producer_link(self) -> Columns:
        n = len(self.links.producer)
        authorized = self.links.role == 0

        def recipe(draws: Draws, at: np.ndarray, user: object) -> tuple[dict, np.ndarray]:
            granted, at = draws.below(12 * 365 - 30 + 1, at)
            label, after = draws.below(2, at)
            status, after = draws.random(after)
            expires, after = draws.random(after)
            return {"granted": granted, "label": label, "status": status, "expires": expires}, _select(
                user, after, at
            )

        drawn = draw_rows(
            self._rng("producer link"),
            n,
            recipe,
            6,
            variants=[False, True],
            row_variant=authorized.astype(np.int64).tolist(),
        )
        granted = _days_before(30 + drawn["granted"])
        expires = authorized & (drawn["expires"] < 0.5)
        ids = list(range(1, n + 1))
        return (
            "id",
            "producer_id",
            "indication_id",
            "role",
            "label_version",
            "authorized",
            "announcement_number",
            "status",
            "valid_until",
            "standard_id",
            "synthetic",
        ), [
            ids,
            self.links.producer.tolist(),
            self.links.indication.tolist(),
            np.array(ROLES, dtype=object)[self.links.role].tolist(),
            _or_none(np.array(["legacy", "unified"], dtype=object)[drawn["label"]].tolist(), authorized),
            _or_none(_iso(granted), authorized),
            _or_none([f"合成公告{i:07d}" for i in ids], authorized),
            _or_none(_weighted(drawn["status"], AUTHORIZATION_STATES).tolist(), authorized),
            _or_none(_iso(granted + np.timedelta64(3 * 365, "D")), expires),
            [None] * n,
            [True] * n,
        ]

    def _renewal(self) -> Columns:
        authorized = self.links.authorized
        if not len(authorized) or not self.sizes.renewals:
            return (), []
        population, cumulative = _population(RENEWAL_STATES)
        decided_states = np.array([s not in ("submitted", "under_review") for s in population])

        def recipe(draws: Draws, at: np.ndarray, _variant: object) -> tuple[dict, np.ndarray]:
            link, at = draws.below(len(authorized), at)
            status, at = draws.random(at)
            minutes, at = draws.below(3 * 365 * 24 * 60 + 1, at)
            state = weighted(status, cumulative)
            days, after = draws.below(20, at)
            decided = decided_states[state]
            return {"link": link, "state": state, "minutes": minutes, "days": days}, _select(
                decided, after, at
            )

        drawn = draw_rows(self._rng("renewal"), self.sizes.renewals, recipe, 6.5)
        n = self.sizes.renewals
        link = authorized[drawn["link"]]
        producer = self.links.producer[link].tolist()
        status = population[drawn["state"]]
        decided = decided_states[drawn["state"]]
        submitted = _TIME - drawn["minutes"].astype("timedelta64[m]").astype("timedelta64[s]")
        due = _review_dues(submitted.astype("datetime64[D]"))
        decided_at = submitted + (drawn["days"] + 1).astype("timedelta64[D]")
        official = self.official_id
        return (
            "id",
            "authorization_id",
            "producer_id",
            "status",
            "submitted_at",
            "review_due",
            "submitted_by",
            "idempotency_key",
            "decided_at",
            "decided_by",
            "decision_reason",
            "synthetic",
        ), [
            list(range(1, n + 1)),
            (link + 1).tolist(),
            producer,
            status.tolist(),
            _stamps(submitted),
            due,
            producer,
            [None] * n,
            _or_none(_stamps(decided_at), decided),
            [
                official if d or s == "under_review" else None
                for d, s in zip(decided.tolist(), status.tolist(), strict=True)
            ],
            _or_none([f"合成审查意见 {s}{SHORT_MARK}" for s in status.tolist()], decided),
            [True] * n,
        ]

    def _audit(self) -> Columns:
        links = len(self.links.producer)
        if not links or not self.sizes.audits:
            return (), []
        population, cumulative = _population(AUDIT_RESULTS)

        def recipe(draws: Draws, at: np.ndarray, _variant: object) -> tuple[dict, np.ndarray]:
            link, at = draws.below(links, at)
            result, at = draws.random(at)
            day, at = draws.below(5 * 365 + 1, at)
            nonconforming = weighted(result, cumulative) != 0
            closing, after = draws.random(at)
            at = _select(nonconforming, after, at)
            official, at = draws.below(60, at)
            return {"link": link, "result": result, "day": day, "closing": closing, "official": official}, at

        drawn = draw_rows(self._rng("audit"), self.sizes.audits, recipe, 5)
        n = self.sizes.audits
        link = drawn["link"]
        state = weighted(drawn["result"], cumulative)
        result = population[state].tolist()
        nonconforming = state != 0
        closed = ~nonconforming | (drawn["closing"] < 0.7)
        day = _days_before(drawn["day"])
        officials = [[f"合成检查员{k:02d}"] for k in range(1, 61)]
        checklists = [
            [
                {"item": "产地范围 production area", "passed": True, "note": None},
                {"item": "专用标志使用 use of the special mark", "passed": passed, "note": None},
            ]
            for passed in (False, True)
        ]
        recorded = _TIME - drawn["day"].astype("timedelta64[D]")  # REFERENCE_TIME, the audit's days back
        return (
            "id",
            "producer_id",
            "indication_id",
            "standard_id",
            "audit_date",
            "officials",
            "checklist",
            "result",
            "findings",
            "rectify_by",
            "follow_up",
            "closed",
            "recorded_by",
            "recorded_at",
            "synthetic",
        ), [
            list(range(1, n + 1)),
            self.links.producer[link].tolist(),
            self.links.indication[link].tolist(),
            [None] * n,
            _iso(day),
            [officials[k] for k in drawn["official"].tolist()],
            [checklists[k] for k in (~nonconforming).astype(np.int64).tolist()],
            result,
            [f"合成检查记录 {r}{SHORT_MARK}" for r in result],
            _or_none(_iso(day + np.timedelta64(30, "D")), nonconforming),
            [("合成整改记录" + SHORT_MARK) if f else None for f in (nonconforming & closed).tolist()],
            closed.tolist(),
            [self.official_id] * n,
            _stamps(recorded),
            [True] * n,
        ]


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
