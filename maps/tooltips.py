"""Tooltips and popups that escape the registry's text by construction.

folium's GeoJsonTooltip writes each property into the tooltip with `innerHTML`, unescaped: a GI name
such as `<img src=x onerror=…>` set by an official would run in every visitor's browser. Every map
tooltip is an `EscapedTooltip` instead, whose script escapes each value (and each label) before it
becomes HTML, as the overview's own layers do with giEscape (maps.browser_layers).

Popups that need links are built in Python from `html.escape`d parts into a property named `*_html`;
`LinkPopup` shows only such properties, so a raw data field cannot be shown as HTML by mistake.
"""

import folium
from folium.template import Template

# A JavaScript twin of html.escape (quote=True) for values drawn at run time.
ESCAPE_JS = """function (value) {
        var text = value === null || value === undefined ? ''
            : (typeof value === 'object' ? JSON.stringify(value) : String(value));
        return text.replace(/[&<>"']/g, function (c) {
            return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
        });
    }"""


class EscapedTooltip(folium.GeoJsonTooltip):
    """folium.GeoJsonTooltip whose fields and labels are shown as text, never as HTML."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip(function (layer) {
        var escape = """
        + ESCAPE_JS
        + """;
        var fields = {{ this.fields | tojson }};
        var aliases = {{ this.aliases | tojson }};
        var rows = fields.map(function (field, i) {
            return '<tr>'
                + ({{ 'true' if this.labels else 'false' }} ? '<th>' + escape(aliases[i]) + '</th>' : '')
                + '<td>' + escape(layer.feature.properties[field]) + '</td></tr>';
        });
        var div = L.DomUtil.create('div');
        div.innerHTML = '<table>' + rows.join('') + '</table>';
        return div;
    }, {{ this.tooltip_options | tojavascript }});
    {% endmacro %}
    """
    )


class LinkPopup(folium.GeoJsonPopup):
    """A popup showing one property of HTML the registry built itself from escaped parts (`*_html`)."""

    def __init__(self, field: str) -> None:
        if not field.endswith("_html"):
            raise ValueError(f"a popup shows only HTML built with html.escape (a *_html field), not {field}")
        super().__init__(fields=[field], labels=False)
