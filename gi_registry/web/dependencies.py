"""The page language: ?lang= (remembered in a cookie), then the cookie, Accept-Language, else Chinese."""

from typing import Annotated

from fastapi import Depends, Query, Request

from gi_registry.core.i18n import Lang, pick_lang

LANG_COOKIE = "lang"


def page_lang(
    request: Request,
    lang: Annotated[str | None, Query(max_length=5, description="zh or en")] = None,
) -> Lang:
    """The language this page is shown in."""
    return pick_lang(lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


LangDep = Annotated[Lang, Depends(page_lang)]
