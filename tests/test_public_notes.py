"""A GI page shows its short public note in the page's language; research notes stay with the sources."""

import re

from fastapi.testclient import TestClient

from gi_registry.i18n import Lang
from tests.language import visible_text


def _body_outside_details(html: str) -> str:
    main = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return re.sub(r"<details>.*?</details>", "", main, flags=re.S)


def test_public_note_in_each_language_and_research_notes_folded(client: TestClient) -> None:
    zh = client.get("/indications/yueyang-huangcha?lang=zh").text
    en = client.get("/indications/yueyang-huangcha?lang=en").text
    assert "2014年纳入国家地理标志保护" in _body_outside_details(zh)
    assert "came under national GI protection in 2014" in _body_outside_details(en)
    # The research note on how the sources were graded is not in the page body any more …
    research = "The reference grades this protection"
    assert research not in _body_outside_details(en) and research not in zh
    # … it is folded with the sources on the English page, and absent from the Chinese one.
    assert research in en.split("<details>", 1)[1]
    assert "reference" not in visible_text(zh, Lang.zh).text


def test_a_gi_without_a_public_note_shows_none(client: TestClient) -> None:
    page = client.get("/indications/junshan-yinzhen?lang=zh").text
    assert 'id="public-note"' not in page
