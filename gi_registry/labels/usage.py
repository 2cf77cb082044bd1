"""Usage coverage of the GI special mark per GI, against Hunan's demonstration-zone thresholds (issue 20).

Definitions, one each, used by the officials' page, the API, the annual report and the county's report:

- A *user of the mark* is an authorized_user link whose effective status today is active or
  switch_required (`authorizations.effective_status`: a legacy label after 2020 is still a user, who must
  switch), and whose validity, when one is recorded, has not ended. Suspended and revoked authorizations
  are not users. An authorization whose status is not recorded is counted apart (`status_unknown`), as
  neither a user nor a non-user: unknown stays unknown.
- The *known producers* of a GI are the distinct producers the registry links to it as an authorized user
  (whatever the status) or as a public-brand licensee. Holders and applicants are left out: in the
  dataset they are the registrant bodies (associations, service centres) that hold or applied for the
  protection, not producers of the product; a holder that also produces counts through its other link.
  The registry does not know every producer in the production area, so the share is of the producers
  on record, an upper bound of the real coverage.

Thresholds: 《湖南省地理标志产品保护示范区建设管理办法（试行）》(2022-07-26): a candidate GI needs at least 5
enterprises using the special mark and at least 50 % of the producers in the area (and output figures the
registry does not hold); within the two-year build-up, usage coverage reaches 80 %.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Field, Session, SQLModel, select

from gi_registry.geo import service as geo_service
from gi_registry.history.models import ChangeLog
from gi_registry.indications.models import Indication, IndicationCounty
from gi_registry.labels.authorizations import effective_status
from gi_registry.producers.models import AuthorizationStatus, LinkRole, Producer, ProducerLink

DEMO_ZONE_SOURCE = "http://www.9000tv.cn/html/shipin/shipinzixun/20220729/1028602.htm"
DEMO_ZONE_RULES = "湖南省地理标志产品保护示范区建设管理办法（试行）(2022-07-26)"
MIN_USERS = 5
# Shares as whole-number fractions, so that "at least half" of 3 producers is 2 users, never a float's 1.5.
MIN_SHARE = (1, 2)
BUILD_UP_SHARE = (4, 5)
BUILD_UP_YEARS = 2
USING = (AuthorizationStatus.active, AuthorizationStatus.switch_required)
# Roles that make a producer a known producer of the GI (holders and applicants are registrant bodies).
PRODUCER_ROLES = (LinkRole.authorized_user, LinkRole.public_brand_licensee)


def uses_mark(link: ProducerLink, today: date) -> bool:
    """Whether this link makes its producer a user of the GI's special mark today (the one definition)."""
    return (
        link.role == LinkRole.authorized_user
        and effective_status(link, today) in USING
        and (link.valid_until is None or link.valid_until >= today)
    )


def status_unknown(link: ProducerLink, today: date) -> bool:
    """An authorization whose status the registry does not know (neither user nor non-user)."""
    return link.role == LinkRole.authorized_user and effective_status(link, today) is None


def _more_for_share(users: int, known: int, share: tuple[int, int]) -> int:
    """More users needed among `known` producers for users/known ≥ share (ceiling, in integers)."""
    needed = -(-known * share[0] // share[1])
    return max(0, needed - users)


class DemoZoneThresholds(SQLModel):
    """Hunan's demonstration-zone thresholds the registry can measure, with where they come from."""

    min_users: int = MIN_USERS
    min_share: float = MIN_SHARE[0] / MIN_SHARE[1]
    build_up_share: float = BUILD_UP_SHARE[0] / BUILD_UP_SHARE[1]
    build_up_years: int = BUILD_UP_YEARS
    rules: str = DEMO_ZONE_RULES
    source_url: str = DEMO_ZONE_SOURCE
    not_held: str = (
        "The rules also require the users' output to reach 100 million yuan and 50 % of the related "
        "industry; the registry holds no output figures, so it cannot tell whether a GI meets them."
    )


class GIUsage(SQLModel):
    """One GI's use of the special mark among the producers on record, and its distance to the thresholds.

    `share`, the `more_users_*` distances and `meets_registry_thresholds` are null when the registry knows
    no producer of the GI: a share of nothing is unknown, not 0 %.
    """

    indication_id: int
    slug: str
    name_zh: str
    name_en: str | None
    known_producers: int
    users: int
    status_unknown: int
    share: float | None
    more_users_for_min_users: int
    more_users_for_min_share: int | None
    more_users_for_build_up: int | None
    meets_registry_thresholds: bool | None


class UsageCoverage(SQLModel):
    """Usage coverage of every GI on a day, with the definitions and thresholds it was computed with."""

    as_of: date
    user_definition: str = (
        "An authorized user whose effective status is active or switch_required, and whose validity, when "
        "recorded, has not ended."
    )
    known_producer_definition: str = (
        "A producer the registry links to the GI as an authorized user (any status) or public-brand "
        "licensee; holders and applicants are registrant bodies, not counted. Producers on record only, "
        "not all producers in the production area."
    )
    thresholds: DemoZoneThresholds = Field(default_factory=DemoZoneThresholds)
    indications: list[GIUsage]


def _counted(links: list[ProducerLink], producers: dict[int, Producer], include_synthetic: bool) -> list:
    # Demo records count only in demo mode: a demo link, or any link of a demo producer.
    return [
        link
        for link in links
        if include_synthetic or not (link.synthetic or producers[link.producer_id].synthetic)
    ]


def gi_usage(indication: Indication, links: list[ProducerLink], today: date) -> GIUsage:
    """One GI's figures from its links (already filtered for demo records)."""
    own = [link for link in links if link.role in PRODUCER_ROLES]
    known = len({link.producer_id for link in own})
    users = len({link.producer_id for link in own if uses_mark(link, today)})
    return GIUsage(
        indication_id=indication.id,
        slug=indication.slug,
        name_zh=indication.name_zh,
        name_en=indication.name_en,
        known_producers=known,
        users=users,
        status_unknown=sum(status_unknown(link, today) for link in own),
        share=users / known if known else None,
        more_users_for_min_users=max(0, MIN_USERS - users),
        more_users_for_min_share=_more_for_share(users, known, MIN_SHARE) if known else None,
        more_users_for_build_up=_more_for_share(users, known, BUILD_UP_SHARE) if known else None,
        meets_registry_thresholds=(
            users >= MIN_USERS and users * MIN_SHARE[1] >= known * MIN_SHARE[0] if known else None
        ),
    )


def _indications(session: Session, include_synthetic: bool) -> list[Indication]:
    query = select(Indication).order_by(Indication.id)
    if not include_synthetic:
        query = query.where(Indication.synthetic.is_(False))
    return list(session.exec(query).all())


def _producer_links(session: Session, include_synthetic: bool) -> tuple[dict[int, Producer], list]:
    producers = {p.id: p for p in session.exec(select(Producer)).all()}
    links = session.exec(select(ProducerLink).where(ProducerLink.role.in_(PRODUCER_ROLES))).all()
    return producers, _counted(list(links), producers, include_synthetic)


def usage_coverage(session: Session, *, today: date, include_synthetic: bool = False) -> UsageCoverage:
    """Every GI's usage coverage today, in registry order (demo records only with `include_synthetic`)."""
    _, links = _producer_links(session, include_synthetic)
    by_gi: dict[int, list[ProducerLink]] = {}
    for link in links:
        by_gi.setdefault(link.indication_id, []).append(link)
    return UsageCoverage(
        as_of=today,
        indications=[
            gi_usage(gi, by_gi.get(gi.id, []), today) for gi in _indications(session, include_synthetic)
        ],
    )


@dataclass(frozen=True)
class CountyGIYear:
    """One GI's line in a county's yearly report on the use of the mark (producers located in the county)."""

    slug: str
    name_zh: str
    known_producers: int
    users: int
    status_unknown: int
    authorized_in_year: int
    authorized_date_unknown: int
    suspended_in_year: int
    revoked_in_year: int


@dataclass(frozen=True)
class CountyYear:
    """A county's yearly report: its GIs' lines, for producers whose county on record is this one."""

    county_code: str
    county_name_zh: str
    year: int
    as_of: date
    lines: list[CountyGIYear]


def _status_changes_in_year(session: Session, year: int) -> dict[str, set[str]]:
    """Ids (as logged, text) of authorizations whose status was changed to suspended or revoked in `year`.

    From the change log, so the date is when the change was recorded in the registry; an authorization
    recorded as already suspended or revoked has no such row and no date.
    """
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.exec(
        select(ChangeLog.entity_id, ChangeLog.new_value).where(
            ChangeLog.entity_type == "producer_link",
            ChangeLog.field == "status",
            ChangeLog.at >= start,
            ChangeLog.at < end,
        )
    ).all()
    found: dict[str, set[str]] = {AuthorizationStatus.suspended: set(), AuthorizationStatus.revoked: set()}
    for entity_id, new in rows:
        if new in found:
            found[new].add(entity_id)
    return found


def county_year(
    session: Session, *, county_code: str, year: int, today: date, include_synthetic: bool = False
) -> CountyYear:
    """The county's report to the city for `year`: per GI with producers on record in the county or a
    production area in it, the known producers there, users today, and the year's authorizations,
    suspensions and revocations. NotFound for a code that is no county of Yueyang."""
    county = geo_service.get_county(session, county_code)
    producers, links = _producer_links(session, include_synthetic)
    local = [link for link in links if producers[link.producer_id].county_code == county_code]
    areas = set(
        session.exec(
            select(IndicationCounty.indication_id).where(IndicationCounty.county_code == county_code)
        )
    )
    changed = _status_changes_in_year(session, year)
    lines = []
    for gi in _indications(session, include_synthetic):
        own = [link for link in local if link.indication_id == gi.id]
        if not own and gi.id not in areas:
            continue
        usage = gi_usage(gi, own, today)
        granted = [link for link in own if link.role == LinkRole.authorized_user]
        lines.append(
            CountyGIYear(
                slug=gi.slug,
                name_zh=gi.name_zh,
                known_producers=usage.known_producers,
                users=usage.users,
                status_unknown=usage.status_unknown,
                authorized_in_year=sum((link.authorized or "").startswith(str(year)) for link in granted),
                authorized_date_unknown=sum(not link.authorized for link in granted),
                suspended_in_year=sum(
                    str(link.id) in changed[AuthorizationStatus.suspended] for link in granted
                ),
                revoked_in_year=sum(str(link.id) in changed[AuthorizationStatus.revoked] for link in granted),
            )
        )
    return CountyYear(county.code, county.name_zh, year, today, lines)


def users_without_county(session: Session, *, today: date, include_synthetic: bool = False) -> int:
    """Users of the mark whose producer has no county on record: in no county's report."""
    producers, links = _producer_links(session, include_synthetic)
    return sum(uses_mark(link, today) and producers[link.producer_id].county_code is None for link in links)


@dataclass(frozen=True)
class UsageDesk:
    """What the officials' usage page shows: the coverage, the counties that report, the users no county
    report holds."""

    coverage: UsageCoverage
    counties: list[tuple[str, str, str | None]]  # code, name_zh, name_en
    users_without_county: int


def usage_desk(session: Session, *, today: date, include_synthetic: bool = False) -> UsageDesk:
    """The officials' usage page in one call."""
    return UsageDesk(
        coverage=usage_coverage(session, today=today, include_synthetic=include_synthetic),
        counties=[(c.code, c.name_zh, c.name_en) for c in geo_service.yueyang_counties(session)],
        users_without_county=users_without_county(session, today=today, include_synthetic=include_synthetic),
    )
