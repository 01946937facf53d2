"""Person names in text, from Swedish name lists, capitalisation and agreement with e-mail.

A name is two or three capitalised words: a given name (Anna, Anna-Karin, Karl Johan) and a
surname (Svensson, Lindqvist, Al-Hassan). Both known from the lists: a strong name; one of them
known and the other shaped like a name: a weak one, which needs a label or an agreeing e-mail
address to count. Generic words (Kundtjänst, Kontaktcenter, kommunen, and the places and
organisation names a profile lists) are never names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from profilecheck.checks.contact.labels import GENERIC_WORDS

WORD = re.compile(r"[A-ZÅÄÖÉÜØÆ][a-zåäöéèüáøæ']+(?:-[A-ZÅÄÖa-zåäö][a-zåäöéü']+)?|[A-ZÅÄÖ]{2,}")
SURNAME_ENDINGS = (
    "sson", "son", "sen", "berg", "ström", "qvist", "kvist", "quist", "gren", "lund", "lin",
    "én", "holm", "dahl", "borg", "stedt", "stad", "man", "mark", "blad", "hed", "ell", "ius",
)  # fmt: skip
TITLES = frozenset(
    [
        "chef",
        "enhetschef",
        "verksamhetschef",
        "sektorchef",
        "avdelningschef",
        "rektor",
        "biträdande",
        "förskolechef",
        "handläggare",
        "handläggaren",
        "samordnare",
        "utvecklare",
        "strateg",
        "sekreterare",
        "nämndsekreterare",
        "kommunikatör",
        "ingenjör",
        "inspektör",
        "miljöinspektör",
        "bygglovshandläggare",
        "administratör",
        "assistent",
        "controller",
        "jurist",
        "planerare",
        "arkitekt",
        "ekonom",
        "direktör",
        "kommundirektör",
        "ordförande",
        "förvaltare",
        "konsulent",
        "kurator",
        "lärare",
        "pedagog",
        "specialist",
        "projektledare",
        "sjuksköterska",
        "socialsekreterare",
        "biståndshandläggare",
        "registrator",
        "arkivarie",
        "bibliotekarie",
        "ekolog",
        "kontaktperson",
        "ansvarig",
        "projektansvarig",
        "mr",
        "mrs",
        "ms",
        "dr",
        "fru",
        "herr",
    ]
)


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    given: str
    surname: str
    given_known: bool
    surname_known: bool

    @property
    def strong(self) -> bool:
        return self.given_known and self.surname_known

    def agrees_with(self, local_part: str) -> bool:
        """anna.svensson, a.svensson, annasvensson and svensson.anna agree with Anna Svensson."""
        local = fold(local_part)
        given = fold(self.given).replace("-", "").split()
        surname = fold(self.surname).replace("-", "")
        if len(surname) < 2 or surname not in local.replace("-", ""):
            return False
        return any(g in local or local.startswith(g[0]) for g in given) or local == surname


def fold(text: str) -> str:
    """Lower case without diacritics, as names appear in e-mail addresses (Åsa → asa)."""
    if text.isascii():  # NFKD leaves ASCII as it is, and none of it is a combining mark
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _name_list(file: str) -> frozenset[str]:
    text = resources.files("profilecheck.checks.contact").joinpath("data", file).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


@dataclass
class Lexicon:
    extra_given: frozenset[str] = frozenset()
    extra_surnames: frozenset[str] = frozenset()
    extra_generic: frozenset[str] = frozenset()

    def given(self, word: str) -> bool:
        folded = fold(word)
        names = _name_list("given_names.txt")
        if folded in names or folded in self.extra_given:
            return True
        return "-" in folded and all(part in names for part in folded.split("-"))

    def surname(self, word: str) -> bool:
        folded = fold(word)
        return folded in _name_list("surnames.txt") or folded in self.extra_surnames

    def surname_shaped(self, word: str) -> bool:
        folded = fold(word)
        return len(folded) > 3 and folded.endswith(tuple(fold(e) for e in SURNAME_ENDINGS))

    def generic(self, word: str) -> bool:
        folded = word.lower()
        return folded in GENERIC_WORDS or folded in self.extra_generic or folded in TITLES


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Capitalised words separated by a single space or tab: candidate name sequences."""
    runs: list[list[re.Match[str]]] = []
    for match in WORD.finditer(text):
        if runs and text[runs[-1][-1].end() : match.start()] in (" ", "\t", "  "):
            runs[-1].append(match)
        else:
            runs.append([match])
    return runs


def _proper(word: str) -> str:
    return word.title() if word.isupper() else word


def find_names(text: str, lexicon: Lexicon) -> list[Name]:
    names = []
    for run in _runs(text):
        words = [_proper(m.group()) for m in run]
        index = 0
        while index < len(run) - 1:
            name = _name_at(text, run, words, index, lexicon)
            if name is None:
                index += 1
                continue
            names.append(name)
            index = next(i for i, m in enumerate(run) if m.end() == name.end) + 1
    return names


def _name_at(text: str, run, words: list[str], index: int, lexicon: Lexicon) -> Name | None:
    first = words[index]
    if lexicon.generic(first):
        return None
    given_end = index
    # A second given name: Karl Johan Persson, Anna Maria Lind.
    second = words[index + 1]
    third = words[index + 2] if index + 2 < len(words) else None
    if third and lexicon.given(first) and lexicon.given(second) and not lexicon.generic(third):
        given_end = index + 1
    surname_index = given_end + 1
    surname = words[surname_index]
    if lexicon.generic(surname):
        return None
    given_known = all(lexicon.given(w) for w in words[index : given_end + 1])
    surname_known = lexicon.surname(surname) or lexicon.surname_shaped(surname)
    if not (given_known or surname_known):
        return None
    if given_known and not surname_known and lexicon.given(surname):
        surname_known = False  # "Anna Maria" alone is not a full name
    start, end = run[index].start(), run[surname_index].end()
    given = " ".join(words[index : given_end + 1])
    return Name(start, end, text[start:end], given, surname, given_known, surname_known)
