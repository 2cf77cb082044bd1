"""A legend drawn inside the map, listing its layers with their colours (and any numbers).

It is a `<details>` box: open on a large screen, folded to its title on a phone (a map narrower than
600 px), where it would otherwise cover a third of the map; a tap opens it.
"""

from html import escape

from branca.element import MacroElement, Template

# Swatch kinds: a filled box, a dashed filled box (not a boundary), a dashed outline (a published range).
FILL, DASHED, OUTLINE = "fill", "dashed", "outline"
PHONE_WIDTH = 600  # px: below this the legend starts folded


class Legend(MacroElement):
    """A small box in the lower right corner; rows are (colour, label, dashed) or (colour, label, swatch)
    with swatch one of FILL, DASHED, OUTLINE."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <details class="gi-legend" open role="region" aria-label="{{ this.title }}">
          <summary><strong>{{ this.title }}</strong></summary>
          <div class="gi-legend-body">
          {% for colour, label, swatch in this.rows %}
          <div class="gi-legend-row"><span class="gi-swatch gi-swatch-{{ swatch }}"
            style="{{ 'border-color' if swatch == 'outline' else 'background' }}:{{ colour }}"></span
            >{{ label }}</div>
          {% endfor %}
          <div class="gi-legend-bases"></div>
          {% for note in this.warnings %}<div class="gi-note gi-note-warning">{{ note }}</div>{% endfor %}
          {% for note in this.notes %}<div class="gi-note">{{ note }}</div>{% endfor %}
          <div class="gi-legend-notes"></div>
          </div>
        </details>
        <style>
          .gi-legend { position: fixed; bottom: 24px; right: 12px; z-index: 9999; max-width: 260px;
                       max-height: calc(100% - 100px); overflow: auto;
                       background: rgba(255, 255, 255, .92); padding: 6px 10px; border: 1px solid #999;
                       border-radius: 4px; font: 12px/1.5 sans-serif; }
          .gi-legend summary { cursor: pointer; }
          .gi-swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
                       vertical-align: middle; opacity: .75; border: 1px solid #555; }
          .gi-swatch-dashed, .gi-dashed { border-style: dashed; }
          .gi-swatch-outline { border: 1.5px dashed #333; background: transparent; opacity: 1; }
          .gi-note { color: #555; }
          .gi-note-warning { color: #8a2c0d; font-weight: bold; }
          @media (max-width: {{ this.phone }}px) {
            .gi-legend { bottom: 30px; right: 6px; max-width: 62%; font-size: 11px; padding: 3px 7px; }
          }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          if (window.innerWidth < {{ this.phone }}) {
            document.querySelectorAll('details.gi-legend').forEach(function (box) { box.open = false; });
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        rows: list[tuple[str, str, bool | str]],
        notes: list[str] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = escape(title)
        self.phone = PHONE_WIDTH
        self.rows = [
            (colour, escape(label), swatch if isinstance(swatch, str) else (DASHED if swatch else FILL))
            for colour, label, swatch in rows
        ]
        self.notes = [escape(note) for note in notes or []]
        self.warnings = [escape(w) for w in warnings or []]
