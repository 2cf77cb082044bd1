"""`gi-registry demo load`: synthetic producers, authorizations, accounts and one open application."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gi_registry.auth.models import Role, User
from gi_registry.auth.security import hash_password
from gi_registry.core.workdays import add_workdays
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication
from gi_registry.labels.models import Renewal, RenewalStatus
from gi_registry.labels.workflow import REVIEW_WORKING_DAYS
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, LinkRole, Producer, ProducerLink
from gi_registry.producers.uscc import organization_code_check_character, uscc_check_character

DEMO_MARK = "（演示数据 demo）"
# (name, county code, GI slug, label version); invented names, clearly marked as demo data.
DEMO_PRODUCERS = [
    ("君山示例茶业", "430611", "yueyang-huangcha", LabelVersion.unified),
    ("岳阳楼示例茶厂", "430602", "yueyang-huangcha", LabelVersion.legacy),
    ("樟树示例辣椒合作社", "430624", "zhangshugang-lajiao", LabelVersion.unified),
    ("华容示例芥菜加工厂", "430623", "huarong-jiecai", LabelVersion.legacy),
    ("平江示例高山茶场", "430626", "pingjiang-gaoshancha", LabelVersion.unified),
    ("汨罗示例甜酒坊", "430681", "changle-tianjiu", LabelVersion.legacy),
]


def demo_uscc(county_code: str, serial: int) -> str:
    """A code that passes both check characters, built only for demo data (prefix 93: a synthetic mark)."""
    body = f"DEM{serial:05d}"
    first17 = "93" + county_code + body + organization_code_check_character(body)
    return first17 + uscc_check_character(first17)


@dataclass
class DemoAccounts:
    """The accounts created, to print for the person trying the demo."""

    official: str
    producer: str
    password: str


def load_demo(session: Session, *, password: str, today: date) -> DemoAccounts:
    """Add the demo records (once; a second run changes nothing) and return the demo accounts."""
    changes = ChangeSet(actor="demo-loader", reason="demo data (synthetic)")
    producers: list[Producer] = []
    for serial, (name, county, slug, label) in enumerate(DEMO_PRODUCERS, start=1):
        key = f"demo-{serial}"
        producer = session.exec(select(Producer).where(Producer.key == key)).first()
        if producer is None:
            producer = Producer(
                key=key,
                name_zh=name + DEMO_MARK,
                uscc=demo_uscc(county, serial),
                county_code=county,
                synthetic=True,
            )
            session.add(producer)
            session.flush()
            changes.created(session, "producer", producer.id, producer.model_dump(mode="json"))
            indication = session.exec(select(Indication).where(Indication.slug == slug)).one()
            link = ProducerLink(
                producer_id=producer.id,
                indication_id=indication.id,
                role=LinkRole.authorized_user,
                label_version=label,
                authorized="2019-06-01" if label == LabelVersion.legacy else "2021-03-15",
                status=AuthorizationStatus.active,
                synthetic=True,
            )
            session.add(link)
            session.flush()
            changes.created(session, "producer_link", link.id, link.model_dump(mode="json"))
        producers.append(producer)
    accounts = {"demo-official": (Role.official, None), "demo-producer": (Role.producer, producers[1].id)}
    for username, (role, producer_id) in accounts.items():
        if session.exec(select(User).where(User.username == username)).first() is None:
            user = User(
                username=username,
                password_hash=hash_password(password),
                role=role,
                producer_id=producer_id,
                synthetic=True,
            )
            session.add(user)
            session.flush()
            changes.created(
                session, "user", user.id, {"username": username, "role": role.value, "synthetic": True}
            )
    producer_user = session.exec(select(User).where(User.username == "demo-producer")).one()
    legacy = session.exec(
        select(ProducerLink).where(
            ProducerLink.producer_id == producers[1].id, ProducerLink.synthetic.is_(True)
        )
    ).one()
    if session.exec(select(Renewal).where(Renewal.authorization_id == legacy.id)).first() is None:
        renewal = Renewal(
            authorization_id=legacy.id,
            producer_id=producers[1].id,
            status=RenewalStatus.submitted,
            review_due=add_workdays(today, REVIEW_WORKING_DAYS),
            submitted_by=producer_user.id,
            synthetic=True,
        )
        session.add(renewal)
        session.flush()
        changes.created(session, "renewal", renewal.id, renewal.model_dump(mode="json"))
    session.commit()
    return DemoAccounts("demo-official", "demo-producer", password)
