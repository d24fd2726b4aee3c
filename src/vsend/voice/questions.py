"""The "All about me" questions, the picture symbols and the child's and family's level words,
read once from questions.yaml and symbols.yaml (our own words, in Easy Read).

Every text is passed through Django's gettext where it is shown, so an authority can translate
it with a catalogue like any other page text.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.templatetags.static import static
from django.utils.translation import gettext

HERE = Path(__file__).parent
ATTRIBUTION = "symbols/ATTRIBUTION.md"


@dataclass(frozen=True)
class Symbol:
    key: str
    file: str
    words: str

    @property
    def src(self) -> str:
        return static(f"symbols/{self.file}.svg")

    @property
    def label(self) -> str:
        return gettext(self.words)


@dataclass(frozen=True)
class Question:
    key: str
    title: str
    symbol: Symbol
    lines: tuple[str, ...]
    choices: tuple[Symbol, ...]

    @property
    def heading(self) -> str:
        return gettext(self.title)

    @property
    def text(self) -> list[str]:
        return [gettext(line) for line in self.lines]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    questions: tuple[Question, ...]
    symbols: dict[str, Symbol]
    areas: dict[str, Area]
    child_levels: tuple[str, ...]
    family_levels: tuple[str, ...]
    max_symbols: int
    max_words: int

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def keys(self) -> list[str]:
        return [q.key for q in self.questions]

    def area(self, key: str, short_name: str) -> Area:
        """A framework area in the child's words (the framework's own name if we have none)."""
        return self.areas.get(key) or Area(key, short_name, ())


def _on_scale(words: tuple[str, ...], levels: int) -> list[str]:
    """Our words for each of a framework's levels: the same words when the framework has as
    many levels as we have words, otherwise the nearest word for each level."""
    top = max(levels - 1, 1)
    return [gettext(words[round(i * (len(words) - 1) / top)]) for i in range(levels)]


def child_level_words(levels: int) -> list[str]:
    return _on_scale(catalogue().child_levels, levels)


def family_level_words(levels: int) -> list[str]:
    return _on_scale(catalogue().family_levels, levels)


def question_texts(path: Path) -> Iterator[str]:
    """Every text in a questions file that a child or family reads, for the translators'
    catalogue (config/messages.py): what catalogue() shows, each through gettext."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in data["questions"]:
        yield q["title"]
        yield from q["lines"]
    for area in data["areas"].values():
        yield area["title"]
        yield from area["lines"]
    yield from data["child_levels"]
    yield from data["family_levels"]


def symbol_texts(path: Path) -> Iterator[str]:
    """The words of each picture symbol, for the translators' catalogue."""
    for symbol in yaml.safe_load(path.read_text(encoding="utf-8")).values():
        yield symbol["words"]


@cache
def catalogue() -> Catalogue:
    symbols_data = yaml.safe_load((HERE / "symbols.yaml").read_text(encoding="utf-8"))
    symbols = {k: Symbol(k, str(v["file"]), v["words"]) for k, v in symbols_data.items()}
    data = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    questions = tuple(
        Question(
            key=q["key"],
            title=q["title"],
            symbol=symbols[q["symbol"]],
            lines=tuple(q["lines"]),
            choices=tuple(symbols[c] for c in q["choices"]),
        )
        for q in data["questions"]
    )
    areas = {k: Area(k, v["title"], tuple(v["lines"])) for k, v in data["areas"].items()}
    return Catalogue(
        questions=questions,
        symbols=symbols,
        areas=areas,
        child_levels=tuple(data["child_levels"]),
        family_levels=tuple(data["family_levels"]),
        max_symbols=int(data["max_symbols"]),
        max_words=int(data["max_words"]),
    )
