"""Finding words on a Jinja page that do not go through the translation machinery."""

import re
from pathlib import Path

from django.template import engines

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "vsend" / "templates"
TAG = re.compile(r"<[^>]*>")
WORDS = re.compile(r"[A-Za-z]{2,}")
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)  # CSS, not words
TRANSLATORS = {"_", "gettext", "ngettext"}


def untranslated(template: str) -> list[str]:
    return untranslated_source((TEMPLATES / template).read_text(encoding="utf-8"))


def untranslated_source(source: str) -> list[str]:
    """Text between tags outside {% trans %} blocks, and prose string constants in
    expressions not passed straight to _(): each as found."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    found: list[str] = []
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    page: list[str] = []  # the template's own text, an expression standing in as \x00
    in_trans = in_comment = False
    for i, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and tokens[i - 1][1] == "block_begin":
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        if kind == "comment_begin":
            in_comment = True
        elif kind == "comment_end":
            in_comment = False
        if in_trans or in_comment:
            continue
        if kind == "data":
            page.append(value)
        elif kind in ("variable_begin", "block_begin"):
            page.append("\x00")
        elif kind == "string" and _prose(value):
            called = i >= 2 and tokens[i - 2][2] in TRANSLATORS and tokens[i - 1][2] == "("
            after = tokens[i + 1][2] if i + 1 < len(tokens) else ""
            if not called and after != ":":
                found.append(value[:60])
    text = ENTITY.sub(" ", TAG.sub(" ", STYLE.sub(" ", "".join(page))))
    for part in text.split("\x00"):
        if WORDS.search(part):
            found.append(" ".join(part.split())[:60])
    return found


def _prose(value: str) -> bool:
    """A string a reader would see: words with a space, or a capitalised word."""
    if not WORDS.search(value) or value.startswith(("govuk", "vsend", "#", "/", "?")):
        return False
    return " " in value.strip() or value[:1].isupper()
