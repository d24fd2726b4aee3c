"""How hard a text is to read: the Flesch-Kincaid grade level, and the UK reading age from it.

Flesch-Kincaid grade = 0.39 x (words per sentence) + 11.8 x (syllables per word) - 15.59
(Kincaid et al., 1975). It is a US school grade; a UK reading age is the grade plus 5, so
reading age 9 is grade 4. Syllables are counted by a rule of thumb (groups of vowels, less a
silent final "e"), which is what most readability tools do; it is close enough to tell a plain
sentence from a hard one, and it is the same every time, so a text that gets harder fails.
"""

import re

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    w = word.lower().replace("’", "'").split("'")[0]
    count = len(VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "home"
    if w.endswith(("ed", "es")) and len(w) > 3 and w[-3] not in "tdsxzcg" and count > 1:
        count -= 1  # "helped", "likes": one syllable, not two
    return max(count, 1)


def sentences(text: str) -> int:
    parts = [p for p in SENTENCE_END.split(text.strip()) if WORD.search(p)]
    return max(len(parts), 1)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of a text (0 for a text with no words)."""
    words = WORD.findall(text)
    if not words:
        return 0.0
    per_sentence = len(words) / sentences(text)
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


def reading_age(text: str) -> float:
    """The UK reading age (years) a text needs: the grade plus 5."""
    return round(grade(text) + 5, 1)
