"""The public change feed, as JSON Feed 1.1 and Atom: one entry per record changed by one transaction."""

import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from gi_registry.history.models import ChangeLog
from gi_registry.history.service import public_actor

ATOM_NS = "http://www.w3.org/2005/Atom"


def _entries(rows: list[ChangeLog], base: str) -> list[dict]:
    grouped: dict[tuple[str, str, str], list[ChangeLog]] = {}
    for row in rows:  # newest first; dict keeps first-seen order
        grouped.setdefault((row.change_set, row.entity_type, row.entity_id), []).append(row)
    entries = []
    for (change_set, entity_type, entity_id), changes in grouped.items():
        created = any(c.field is None for c in changes)
        fields = sorted({c.field for c in changes if c.field})
        summary = "created" if created else f"changed {', '.join(fields)}"
        lines = [
            f"{c.field or 'record'}: {json.dumps(c.old_value, ensure_ascii=False)} → "
            f"{json.dumps(c.new_value, ensure_ascii=False)}"
            for c in reversed(changes)
        ]
        actor = public_actor(changes[0].actor)  # a public feed names roles, not usernames
        at = max(c.at for c in changes)
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        entries.append(
            {
                "id": f"urn:gi-registry:change:{change_set}:{entity_type}:{entity_id}",
                "url": f"{base}/api/v1/history?entity={entity_type}&id={entity_id}",
                "title": f"{entity_type} {entity_id}: {summary}",
                "content_text": f"{actor} — {changes[0].reason}\n" + "\n".join(lines),
                "date_published": at.isoformat(),
                "authors": [{"name": actor}],
            }
        )
    return entries


def json_feed(rows: list[ChangeLog], base: str) -> dict:
    """A JSON Feed 1.1 document."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "gi-registry: changes to Yueyang's GI records",
        "home_page_url": f"{base}/",
        "feed_url": f"{base}/api/v1/changes.json",
        "items": _entries(rows, base),
    }


def atom_feed(rows: list[ChangeLog], base: str) -> bytes:
    """An Atom 1.0 document."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    entries = _entries(rows, base)

    def child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        element.text = text
        return element

    child(feed, "id", f"{base}/api/v1/changes.atom")
    child(feed, "title", "gi-registry: changes to Yueyang's GI records")
    child(feed, "updated", entries[0]["date_published"] if entries else datetime.now(UTC).isoformat())
    child(feed, "link", href=f"{base}/api/v1/changes.atom", rel="self")
    for entry in entries:
        node = child(feed, "entry")
        child(node, "id", entry["id"])
        child(node, "title", entry["title"])
        child(node, "updated", entry["date_published"])
        child(node, "link", href=entry["url"])
        author = child(node, "author")
        child(author, "name", entry["authors"][0]["name"])
        child(node, "content", entry["content_text"], type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
