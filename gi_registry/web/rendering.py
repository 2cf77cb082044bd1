"""Rendering pages: one Jinja environment, the language remembered, HTML error pages."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from gi_registry.core.i18n import (
    CJK,
    Lang,
    enum_label,
    for_lang,
    kind_label,
    pick_lang,
    t,
    text_lang,
    value_label,
)
from gi_registry.web.dependencies import LANG_COOKIE

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def data_text(value: object, lang: Lang) -> Markup:
    """A data value (a name, a quotation) as HTML marked with the language it is written in.

    On an English page its Chinese runs say lang="zh-CN"; on a Chinese page an English value says lang="en".

    Names and quotations stay in the language their source wrote them in; marking them lets screen
    readers switch voice, and lets the language walk tell data from the page's own words.
    """
    text = "" if value is None else str(value)
    if lang == Lang.zh:
        # A value written in English (an official's reason as typed) is marked, never translated.
        if text_lang(text) == Lang.en:
            return Markup('<span lang="en">{}</span>').format(text)
        return escape(text)
    parts, last = [], 0
    for match in CJK.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<span lang="zh-CN">{}</span>').format(match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def lang_of(value: object, lang: Lang) -> Markup:
    """A ` lang="…"` attribute for an element holding one data value written in the other language.

    For elements that cannot hold a <span lang> (an <option>, a <textarea>): the whole element is marked.
    """
    text = "" if value is None else str(value)
    if lang == Lang.en and CJK.search(text):
        return Markup(' lang="zh-CN"')
    # On a Chinese page, a value with Latin words and no Chinese (an English note as recorded) is English.
    if lang == Lang.zh and (
        text_lang(text) == Lang.en or (re.search("[A-Za-z]{2,}", text) and not CJK.search(text))
    ):
        return Markup(' lang="en"')
    return Markup("")


templates.env.globals.update(
    lang_of=lang_of,
    t=t,
    kind_label=kind_label,
    enum_label=enum_label,
    value_label=value_label,
    for_lang=for_lang,
    Lang=Lang,
)
templates.env.filters["data"] = data_text

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


def forbidden(request: Request, message: str | None = None, *, key: str | None = None) -> HTMLResponse:
    """The HTML 403 page, in the page's language; `key` names the catalogue message to show."""
    lang = pick_lang(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )
    text = t(key, lang) if key else message
    return render(request, "forbidden.html", lang, {"message": text}, status_code=403)


def not_found(request: Request, lang: Lang, message: str) -> HTMLResponse:
    """The HTML 404 page, saying what was not found."""
    return render(request, "not_found.html", lang, {"message": message}, status_code=404)
