"""Render folium elements as plain text, not as Jinja templates compiled a second time.

branca's MacroElement.render wraps each rendered snippet in `Element(text)`, which compiles that
text as a new Jinja template. That costs about a millisecond per element plus time linear in the
snippet (a GeoJSON layer's whole data is lexed again), and it evaluates any `{{ ... }}` or `{% ... %}`
that the data carries: a GI or producer name containing `{{ 7*7 }}` came out as `49`, i.e. template
injection from registry data. Here the snippet is kept as the text it already is.

`install()` swaps MacroElement.render for `_render_as_text`, which does what branca's does (header,
html and script macros, then the children) except for that second compilation. It is installed when
the maps package builds a map; folium's subclasses reach it through super().render().
"""

import re

from branca.element import Element, Figure, MacroElement


class Text(Element):
    """A snippet already rendered, emitted as is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Text"
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: ANN003, ARG002 - branca's signature
        """The text itself."""
        return self.text


def _render_as_text(self: MacroElement, **kwargs) -> None:  # noqa: ANN003 - branca's signature
    figure = self.get_root()
    assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
    macros = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(Text(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def install() -> None:
    """Make every MacroElement render its macros as plain text (idempotent)."""
    MacroElement.render = _render_as_text


# An opening <script tag (not <scripts or the like); only the header's tags are the maps' own.
_SCRIPT_TAG = re.compile(r"<script(?=[\s>])", re.IGNORECASE)


def document(fmap: Element, nonce: str | None = None) -> str:
    """The map's HTML document; with `nonce`, its own scripts carry it (for a CSP without 'unsafe-inline').

    Laid out exactly as branca's Figure template does it, but the nonce is given only to the script tags
    the maps write themselves: those of the header (vendored scripts and folium's settings) and the one
    script block holding every layer. Registry text reaches the body as escaped HTML and the script block
    as JSON, so a `<script>` that a missed escape let into the body gets no nonce and does not run.
    """
    figure = fmap.get_root()
    if nonce is None:
        return figure.render()
    for child in figure._children.values():
        child.render()
    opening = f'<script nonce="{nonce}"'
    header = _SCRIPT_TAG.sub(opening, figure.header.render())
    title = f"<title>{figure.title}</title>" if figure.title else ""
    return (
        f"<!DOCTYPE html>\n<html>\n<head>\n{title}    {header}\n</head>\n<body>\n"
        f"    {figure.html.render()}\n</body>\n{opening}>\n    {figure.script.render()}\n</script>\n</html>\n"
    )
