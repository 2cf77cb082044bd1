"""A GI page shows its short public note in the page's language; research notes stay with the sources."""

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.i18n import Lang
from tests import boundary_files as files
from tests.language import problems, raw_values, visible_text
from tests.web.test_web_areas import _post, _protection_id
from tests.web.test_web_officials import sign_in
from tests.workflow import PASSWORD


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


def test_a_gi_page_with_an_uploaded_area_is_in_one_language(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    """The area versions of a GI (format, CRS handling, GCJ-02 choice) in the page's words, both languages."""
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    sign_in(client, "li")
    shifted = files.write(files.frame(files.gcj02_copy(files.PINGJIANG)), tmp_path, "geojson")
    stored = _post(client, shifted, str(_protection_id(client)), gcj02="convert")
    assert stored.status_code == 201, stored.text
    for lang in (Lang.zh, Lang.en):
        page = client.get(f"/indications/pingjiang-baizhu?lang={lang.value}").text
        assert 'class="area-versions"' in page and "GeoJSON" in page
        seen = visible_text(page, lang)
        assert not problems(seen, lang, raw_values(lang)), problems(seen, lang, raw_values(lang))
