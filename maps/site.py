"""`gi-registry maps build`: a static map site that opens from disk, with no server and no network."""

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from gi_registry.core.i18n import Lang
from gi_registry.geo import service as geo_service
from gi_registry.indications.models import Indication
from maps import builders
from maps.assets import PACKAGES, VENDOR_DIR
from maps.context import MapContext

ASSETS = "assets/vendor"


def page_name(stem: str, lang: Lang) -> str:
    """`overview.html` in Chinese, `overview.en.html` in English."""
    return f"{stem}.html" if lang == Lang.zh else f"{stem}.{lang.value}.html"


def _context(lang: Lang, depth: int) -> MapContext:
    up = "../" * depth
    return MapContext(
        lang=lang,
        assets_base=f"{up}{ASSETS}",
        data_base=None,  # opened from disk: nothing to fetch, the layers are inlined
        gi_url=lambda slug, lg: f"{up}indications/{page_name(slug, lg)}",
        county_url=lambda code, lg: f"{up}counties/{page_name(code, lg)}",
    )


def _copy_assets(out: Path) -> None:
    target = out / ASSETS
    shutil.rmtree(target, ignore_errors=True)
    for package in PACKAGES:
        shutil.copytree(VENDOR_DIR / package.folder, target / package.folder)
    shutil.copy(VENDOR_DIR / "MANIFEST.json", target / "MANIFEST.json")


def build_static_site(
    session: Session, out: Path, *, on_page: Callable[[str], None] | None = None
) -> list[Path]:
    """Write every map in Chinese and English under `out`, with the assets beside them; return the pages."""
    out.mkdir(parents=True, exist_ok=True)
    _copy_assets(out)
    written: list[Path] = []

    def write(relative: str, fmap) -> None:  # noqa: ANN001 - a folium.Map
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fmap.get_root().render(), encoding="utf-8")
        written.append(path)
        if on_page:
            on_page(relative)

    indications = session.exec(select(Indication).order_by(Indication.id)).all()
    counties = [c for c in geo_service.yueyang_counties(session) if c.geometry is not None]
    for lang in Lang:
        write(page_name("index", lang), builders.overview_map(session, _context(lang, 0)))
        write(page_name("label-switch", lang), builders.label_switch_map(session, _context(lang, 0)))
        for indication in indications:
            fmap = builders.indication_map(session, indication, _context(lang, 1))
            write(f"indications/{page_name(indication.slug, lang)}", fmap)
        for county in counties:
            write(
                f"counties/{page_name(county.code, lang)}",
                builders.county_map(session, county, _context(lang, 1)),
            )
    return written


def page_count(session: Session) -> int:
    """How many pages `build_static_site` writes (for a progress bar)."""
    indications = len(session.exec(select(Indication.id)).all())
    counties = len([c for c in geo_service.yueyang_counties(session) if c.geometry is not None])
    return len(Lang) * (2 + indications + counties)
