"""Rendering pages: one Jinja environment, the language remembered, HTML error pages."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from gi_registry.i18n import Lang, kind_label, label, pick_lang, t
from gi_registry.web.dependencies import LANG_COOKIE

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(t=t, kind_label=kind_label, label=label, Lang=Lang)

ONE_YEAR = 365 * 24 * 3600


def render(
    request: Request, name: str, lang: Lang, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page; a language chosen with ?lang= is remembered for the next pages."""
    other = Lang.en if lang == Lang.zh else Lang.zh
    response = templates.TemplateResponse(
        request,
        name,
        {"lang": lang, "other_lang": other, "switch_url": _with_lang(request, other), **context},
        status_code=status_code,
    )
    if request.query_params.get("lang") in Lang.__members__:
        response.set_cookie(LANG_COOKIE, lang.value, max_age=ONE_YEAR, samesite="lax")
    return response


def _with_lang(request: Request, lang: Lang) -> str:
    params = dict(request.query_params) | {"lang": lang.value}
    return f"{request.url.path}?{urlencode(params)}"


def forbidden(request: Request, message_key: str) -> HTMLResponse:
    """The HTML 403 page, its message (a catalogue key) in the page's language."""
    lang = pick_lang(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )
    return render(request, "forbidden.html", lang, {"message": t(message_key, lang)}, status_code=403)


def not_found(request: Request, lang: Lang, message: str) -> HTMLResponse:
    """The HTML 404 page, saying what was not found."""
    return render(request, "not_found.html", lang, {"message": message}, status_code=404)
