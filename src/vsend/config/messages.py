"""The catalogue template: every translatable string in vsend's pages and code (`make messages`).

Django's makemessages reads Django templates, not Jinja ones, so vsend extracts its own: Jinja
templates through Jinja's i18n extractor ({{ _("...") }}, {% trans %}), Python through its
syntax tree (gettext, gettext_lazy, gettext_noop, ngettext and their short names), and the
texts kept as data that families and children read (DATA: the "All about me" questions and
symbols, the workflows' family wording, the frameworks' family words), each through the reader
its owner gives, so the catalogue holds exactly what those pages pass to gettext. The result is
a standard gettext template, src/vsend/locale/django.pot, from which a translator starts a
language (msginit) that Django then compiles and serves (compilemessages). English is the
source; vsend ships no machine translations.
"""

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from vsend.frameworks import loader as frameworks
from vsend.voice import questions
from vsend.workflows import definitions as workflows

PACKAGE = Path(settings.PACKAGE_DIR)
TEMPLATES = PACKAGE / "templates"
CATALOGUE = PACKAGE / "locale" / "django.pot"
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "N_"}
PLURAL = {"ngettext", "ngettext_lazy"}
HEADER = """# vsend's words for translators: the catalogue template. Made by `make messages`; do not
# edit by hand. Start a language with: msginit -i django.pot -l cy -o cy/LC_MESSAGES/django.po
msgid ""
msgstr ""
"Project-Id-Version: vsend\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""

Message = tuple[str, str | None]  # msgid, msgid_plural


@dataclass(frozen=True)
class DataFiles:
    """Data files whose texts are shown through gettext: where they are (named in the
    catalogue as `where`/<file name>) and the reader that gives each file's shown texts."""

    where: str
    folder: Path
    pattern: str
    texts: Callable[[Path], Iterable[str]]


DATA = [
    DataFiles("voice", questions.HERE, "questions.yaml", questions.question_texts),
    DataFiles("voice", questions.HERE, "symbols.yaml", questions.symbol_texts),
    DataFiles("workflows/definitions", workflows.DEFINITIONS_DIR, "*.yaml", workflows.family_texts),
    DataFiles("frameworks/data", frameworks.DATA_DIR, "*.yaml", frameworks.family_texts),
]


def _data() -> Iterator[tuple[str, Message]]:
    for files in DATA:
        for path in sorted(files.folder.glob(files.pattern)):
            for text in files.texts(path):
                if text:
                    yield f"{files.where}/{path.name}", (text, None)


def _python(path: Path) -> Iterator[tuple[int, Message]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if name in SINGULAR and args and isinstance(args[0], str):
            yield node.lineno, (args[0], None)
        elif name in PLURAL and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
            yield node.lineno, (str(args[0]), str(args[1]))


def _jinja(path: Path) -> Iterator[tuple[int, Message]]:
    from django.template import engines

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    for lineno, _func, message in env.extract_translations(path.read_text(encoding="utf-8")):
        if isinstance(message, str):
            yield lineno, (message, None)
        elif isinstance(message, tuple) and message and isinstance(message[0], str):
            plural = message[1] if len(message) > 1 and isinstance(message[1], str) else None
            yield lineno, (message[0], plural)


def extract() -> dict[Message, list[str]]:
    """Every message, with where it is used (paths relative to the package), in a fixed order."""
    found: dict[Message, list[str]] = {}
    sources = [(p, _python) for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]
    sources += [(p, _jinja) for p in sorted(TEMPLATES.rglob("*")) if p.suffix in (".html", ".txt")]
    found_in = [
        (str(path.relative_to(PACKAGE)), message)
        for path, reader in sources
        for _lineno, message in reader(path)
    ]
    for where, message in [*found_in, *_data()]:
        # Files, not lines: the template stays the same when code moves within a file.
        places = found.setdefault(message, [])
        if where not in places:
            places.append(where)
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def render(found: dict[Message, list[str]]) -> str:
    out = [HEADER]
    for (msgid, plural), places in sorted(found.items(), key=lambda kv: kv[1][0]):
        entry = [f"#: {' '.join(places)}"]
        if "%(" in msgid or "%s" in msgid:
            entry.append("#, python-format")
        entry.append(f"msgid {_quote(msgid)}")
        if plural is None:
            entry.append('msgstr ""')
        else:
            entry += [f"msgid_plural {_quote(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        out.append("\n".join(entry) + "\n")
    return "\n".join(out)


def msgids(pot: str) -> set[str]:
    """The msgids in a catalogue's text (enough of the format for comparing two of ours)."""
    ids: set[str] = set()
    current: list[str] | None = None
    for line in [*pot.splitlines(), ""]:
        if line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            text = "".join(ast.literal_eval(part) for part in current)
            if text:
                ids.add(text)
            current = None
    return ids
