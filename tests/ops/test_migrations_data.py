"""R16: every migration goes down and up again over a database holding data, losing no row it keeps."""

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.settings import Settings
from gi_registry.ops import migrate
from tests.figures import report
from tests.workflow import build_world, submit


def _counts(engine: Engine) -> dict[str, int]:
    tables = set(inspect(engine).get_table_names()) - migrate.EXTENSION_TABLES - {"alembic_version"}
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in sorted(tables)
        }


def test_each_migration_down_and_up_keeps_every_row(
    client: TestClient, session: Session, engine: Engine, settings: Settings
) -> None:
    world = build_world(client, session)
    renewal = submit(client, world.producer_a, world.authorization_id).json()
    client.post(
        f"/api/v1/renewals/{renewal['id']}/decision",
        json={"decision": "review", "reason": "complete"},
        headers=world.official,
    )
    session.close()
    engine.dispose()
    url = settings.database_url
    revisions = [
        r.revision for r in ScriptDirectory.from_config(migrate.alembic_config(url)).walk_revisions()
    ]
    at_head = _counts(engine)
    assert at_head["renewal"] == 1 and at_head["indication"] > 0 and at_head["change_log"] > 0
    rows_checked = 0
    lost: list[str] = []
    # Step by step from head down to the first revision: a downgrade may drop its own tables, but every
    # table it keeps must keep its rows; the upgrade back to head must give every row back.
    for below in revisions[1:]:
        before = _counts(engine)
        migrate.downgrade(url, below)
        after = _counts(engine)
        engine.dispose()
        lost += [f"down to {below}: {t}" for t in after if after[t] != before.get(t, after[t])]
        rows_checked += sum(after.values())
    bottom = _counts(engine)
    migrate.upgrade(url)
    engine.dispose()
    back = _counts(engine)
    lost += [f"up from {revisions[-1]}: {t}" for t in bottom if back.get(t) != bottom[t]]
    assert set(back) == set(at_head)
    report(
        f"R16: {len(revisions) - 1} migrations down and up with data, "
        f"{rows_checked} rows checked, {len(lost)} lost"
    )
    assert lost == []
