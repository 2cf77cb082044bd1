"""A legend drawn inside the map, listing its layers with their colours (and any numbers)."""

from html import escape

from branca.element import MacroElement, Template


class Legend(MacroElement):
    """A small box in the lower right corner; rows are (colour, label, dashed)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="gi-legend" role="region" aria-label="{{ this.title }}">
          <strong>{{ this.title }}</strong>
          {% for colour, label, dashed in this.rows %}
          <div><span class="gi-swatch {{ 'gi-dashed' if dashed else '' }}"
                     style="background:{{ colour }}"></span>{{ label }}</div>
          {% endfor %}
          <div class="gi-legend-bases"></div>
          {% for note in this.notes %}<div class="gi-note">{{ note }}</div>{% endfor %}
          <div class="gi-legend-notes"></div>
        </div>
        <style>
          .gi-legend { position: fixed; bottom: 24px; right: 12px; z-index: 9999; max-width: 260px;
                       background: rgba(255, 255, 255, .92); padding: 8px 10px; border: 1px solid #999;
                       border-radius: 4px; font: 12px/1.5 sans-serif; }
          .gi-swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
                       vertical-align: middle; opacity: .75; border: 1px solid #555; }
          .gi-dashed { border-style: dashed; }
          .gi-note { color: #555; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, title: str, rows: list[tuple[str, str, bool]], notes: list[str] | None = None) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = escape(title)
        self.rows = [(colour, escape(label), dashed) for colour, label, dashed in rows]
        self.notes = [escape(note) for note in notes or []]
