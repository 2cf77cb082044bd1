"""What a person reads on a page, and whether it is wholly in the page's language (issue 15, item 3).

A page's visible text is its text nodes and the attributes a person reads or hears (title, alt,
aria-label, placeholder, value of buttons), minus <script>, <style> and <template>, and minus elements
marked as written in another language: data values (names, quotations, an official's reason as typed)
carry lang="zh-CN" on an English page and lang="en" on a Chinese page, which is also correct HTML.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from html.parser import HTMLParser
from importlib import import_module
from pkgutil import walk_packages

import gi_registry
from gi_registry.core.i18n import CJK, ENGLISH_RUN, ENUM_LABELS, MESSAGES, Lang

SKIPPED = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
TEXT_ONLY = {"title", "option"}  # elements that cannot hold a <span lang>

# Proper names and codes that are English words by nature and may stand on a Chinese page.
PROPER_NAMES = ("OGC API", "GeoJSON", "GeoPackage", "Google Calendar", "Leaflet", "OpenStreetMap")


@dataclass
class PageText:
    """The visible text of a page, and where it was found."""

    lang: str
    chunks: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)  # text the page marks as written in the other language
    text_only: set[int] = field(default_factory=set)  # chunks from <title> and <option>, which hold no markup

    @property
    def text(self) -> str:
        return " ".join(self.chunks)


class _Reader(HTMLParser):
    def __init__(self, page_lang: Lang) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: skipped or in the other language)
        self.html_lang = ""
        self.chunks: list[str] = []
        self.marked: list[str] = []
        self.text_only: set[int] = set()
        self.skipping = 0

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _other_language(self, lang: str | None) -> bool:
        if not lang:
            return False
        lang = lang.lower()
        if self.page_lang == Lang.en:
            return lang.startswith("zh") and "latn" not in lang
        return lang.startswith("en") or "latn" in lang

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        other = self._other_language(values.get("lang"))
        hidden = self._hidden() or tag in SKIPPED or other
        if tag in SKIPPED and tag not in VOID:
            self.skipping += 1
        if not hidden:
            for name in READ_ATTRIBUTES:
                if values.get(name):
                    self.chunks.append(values[name])
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.chunks.append(values["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Browsers close unclosed children with their parent: pop down to the matching tag.
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                self.skipping -= sum(1 for t, _h in self.stack[depth:] if t in SKIPPED)
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        if not self._hidden():
            if self.stack and self.stack[-1][0] in TEXT_ONLY:
                self.text_only.add(len(self.chunks))
            self.chunks.append(data.strip())
        elif not self.skipping:
            self.marked.append(data.strip())


def visible_text(html: str, page_lang: Lang) -> PageText:
    """The words a person reads on a page in `page_lang`."""
    reader = _Reader(page_lang)
    reader.feed(html)
    reader.close()
    return PageText(reader.html_lang, reader.chunks, reader.marked, reader.text_only)


def all_str_enums() -> list[type[StrEnum]]:
    """Every StrEnum defined in the registry's code (imported module by module)."""
    for info in walk_packages(gi_registry.__path__, "gi_registry."):
        if ".migrations" in info.name:
            continue
        import_module(info.name)
    found: dict[str, type[StrEnum]] = {}
    pending = list(StrEnum.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("gi_registry."):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def _english_catalogue() -> str:
    texts = [m[Lang.en] for m in MESSAGES.values()]
    texts += [en for labels in ENUM_LABELS.values() for _zh, en in labels.values()]
    return "\n".join(texts)


def raw_values(page_lang: Lang) -> set[str]:
    """Enum values that, seen on a page in `page_lang`, can only be a raw value printed by mistake.

    On a Chinese page that is every value. On an English page, a value that is also a word of the English
    catalogue ("closed", "current") cannot be told from the catalogue's own word; the same template
    printing it raw fails on its Chinese page, so nothing is missed. Single letters (the H/M/L grades)
    cannot be told from codes such as a USCC and are left out.
    """
    values = {member.value for cls in all_str_enums() for member in cls if len(member.value) > 1}
    if page_lang == Lang.zh:
        return values
    catalogue = _english_catalogue()
    return {
        v for v in values if not re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", catalogue, re.IGNORECASE)
    }


def _without_names(text: str) -> str:
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    # URLs, e-mail addresses and paths are codes, not sentences.
    return re.sub(r"(https?://|/)[^\s]*|\S+@\S+", " ", text)


def problems(page: PageText, page_lang: Lang, raw: set[str], names: str = "") -> list[str]:
    """What on a page is not in its language: raw enum values, English sentences, Chinese text.

    `names` is the text the site marks as data in the other language, anywhere in the walk: where markup
    cannot say so (a <title>, an <option>), a run found there is a data name, not the page's own words.
    """
    found = []
    text = _without_names(page.text)
    for value in sorted(raw):
        # Word-bounded, and not inside an identifier-like token (a slug, a file name).
        match = re.search(rf"(?<![\w./-]){re.escape(value)}(?![\w/-])", text)
        if match:
            found.append(f"raw value {value!r} in …{text[max(0, match.start() - 40) : match.end() + 40]}…")
    if page_lang == Lang.zh:
        for index, chunk in enumerate(page.chunks):
            allowed = names if index in page.text_only else ""
            sentence = ENGLISH_RUN.search(_without_names(chunk))
            if sentence and sentence.group() not in allowed:
                found.append(f"English sentence {sentence.group()!r} in {chunk[:120]!r}")
    else:
        for index, chunk in enumerate(page.chunks):
            allowed = names if index in page.text_only else ""
            for chinese in CJK.finditer(chunk):
                if re.search(r"[\u3400-\u9fff]", chinese.group()) and chinese.group() not in allowed:
                    found.append(f"Chinese text {chinese.group()!r} in {chunk[:120]!r}")
    return found
