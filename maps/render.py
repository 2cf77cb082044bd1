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
