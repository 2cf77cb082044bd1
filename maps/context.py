"""What a map needs to know about where it is shown: language, assets, tiles and page links."""

from collections.abc import Callable
from dataclasses import dataclass, field

from gi_registry.core.i18n import Lang


def _site_gi_url(slug: str, lang: Lang) -> str:
    return f"/indications/{slug}?lang={lang.value}"


def _site_county_url(code: str, lang: Lang) -> str:
    return f"/counties/{code}?lang={lang.value}"


@dataclass(frozen=True)
class MapContext:
    """Defaults fit the live site; the static site builder passes relative links and asset paths."""

    lang: Lang = Lang.zh
    assets_base: str = "/static/vendor"
    tiles: str | None = None
    demo: bool = False  # show records marked synthetic (demo mode only)
    # Where the browser fetches the large layers (see maps.data); None inlines them (static site).
    data_base: str | None = "/maps/data"
    # Above this many located producers and areas, layers fetched from data_base are loaded by view
    # (maps.view) rather than whole; None always loads them whole (settings.map_view_above on the site).
    view_above: int | None = None
    gi_url: Callable[[str, Lang], str] = field(default=_site_gi_url)
    county_url: Callable[[str, Lang], str] = field(default=_site_county_url)

    def data_url(self, name: str) -> str | None:
        """Address of a map-data document (`producers.json`, `areas.json`), or None to inline it."""
        return f"{self.data_base.rstrip('/')}/{name}" if self.data_base else None

    def link_to_gi(self, slug: str) -> str:
        """Address of a GI's page."""
        return self.gi_url(slug, self.lang)

    def link_to_county(self, code: str) -> str:
        """Address of a county's page."""
        return self.county_url(code, self.lang)
