"""Search keys so that `q` finds 岳阳黄茶 by '黄茶', 'Yuèyáng', 'yueyang huangcha', 'yyhc' or 'yellow tea'."""

import unicodedata

from pypinyin import Style, lazy_pinyin


def fold(text: str) -> str:
    """Lower case, tone marks removed, spaces, hyphens and apostrophes dropped."""
    # ü (with or without a tone) is written v in toneless pinyin, as pypinyin does.
    decomposed = unicodedata.normalize("NFKD", text.lower()).replace("u\u0308", "v")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare if c not in " -'’·_")


def search_text(*, name_zh: str, name_pinyin: str | None, name_en: str | None, slug: str) -> str:
    """Every form of a product's name that a search should match, folded, separated by '|'."""
    syllables = lazy_pinyin(name_zh, v_to_u=False)
    initials = lazy_pinyin(name_zh, style=Style.FIRST_LETTER)
    forms = [name_zh, "".join(syllables), "".join(initials), slug]
    forms += [form for form in (name_pinyin, name_en) if form]
    return "|".join(dict.fromkeys(fold(form) for form in forms))
