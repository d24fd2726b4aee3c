"""Finding words on a Jinja page that do not go through the translation machinery; reading the
catalogue template and compiling a catalogue from it (a stand-in translator, for tests)."""

import ast
import re
import struct
from array import array
from dataclasses import dataclass
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
    """A string a reader would see: words with a space, or a capitalised word (markup and CSS
    classes are not words)."""
    value = TAG.sub(" ", value[1:-1] if value[:1] in "\"'" else value)
    if not WORDS.search(value) or value.startswith(("govuk", "vsend", "#", "/", "?")):
        return False
    return " " in value.strip() or value[:1].isupper()


@dataclass(frozen=True)
class Entry:
    """One message of a catalogue template: where it is used, its msgid and msgid_plural."""

    places: tuple[str, ...]
    msgid: str
    plural: str | None = None


def entries(pot: str) -> list[Entry]:
    """The messages of a catalogue template as `vsend messages` writes it (one block each)."""
    found = []
    for block in pot.split("\n\n"):
        places: list[str] = []
        fields: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("#: "):
                places += line[3:].split()
            elif line.startswith(("msgid ", "msgid_plural ")):
                name, _, rest = line.partition(" ")
                current = fields.setdefault(name, [rest])
            elif line.startswith('"') and current is not None:
                current.append(line)
            else:
                current = None
        text = {k: "".join(ast.literal_eval(p) for p in v) for k, v in fields.items()}
        if text.get("msgid"):
            found.append(Entry(tuple(places), text["msgid"], text.get("msgid_plural")))
    return found


def write_mo(path: Path, translations: dict[str, str]) -> None:
    """A compiled catalogue (GNU .mo) of these translations, as msgfmt would make it: the key
    of a plural message is its msgid and msgid_plural joined by NUL, as are its translations."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    messages = {"": header, **translations}
    keys = sorted(messages)
    ids = strs = b""
    places = []
    for key in keys:
        k, v = key.encode(), messages[key].encode()
        places.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    start = 7 * 4 + 16 * len(keys)
    table = [n for o, ln, _o, _l in places for n in (ln, o + start)]
    table += [n for _o, _l, o, ln in places for n in (ln, o + start + len(ids))]
    head = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + array("i", table).tobytes() + ids + strs)
