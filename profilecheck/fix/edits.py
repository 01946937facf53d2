"""Edits both formats share: the change list, a number replaced across runs, fonts and colours
named in attributes, the core properties."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from lxml import etree

from profilecheck.checks.text import PHONE_LIKE
from profilecheck.core.scripts import SLOT_SCRIPTS
from profilecheck.fix.knowledge import Knowledge
from profilecheck.readers.ooxml.package import NS

PLACES_SHOWN = 5
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Change:
    """One entry of the change list: what, where (part and paragraph or slide), before → after.
    `done` is False for what was found but left alone, with the reason."""

    what: str  # font, colour, number, title, language, invalidated, not-fixed
    part: str
    where: str
    before: str
    after: str
    done: bool = True
    reason: str = ""
    count: int = 1  # the same change in several places of the part: the first few are named

    def as_dict(self) -> dict:
        return asdict(self)


class Changes(list):
    """The change list; one entry per change and part, counting where it was made."""

    def add(self, what: str, part: str, where: str, before: str, after: str, **more) -> None:
        for change in self:
            same = (change.what, change.part, change.before, change.after) == (
                what,
                part,
                before,
                after,
            )
            if same and change.done == more.get("done", True):
                change.count += 1
                places = change.where.split(", ")
                if change.count <= PLACES_SHOWN and where not in places:
                    change.where += f", {where}"
                elif change.count == PLACES_SHOWN + 1:
                    change.where += ", …"
                return
        self.append(Change(what, part, where, before, after, **more))


def scripts_present(texts: Iterable[str]) -> set[str]:
    """The font slots ("eastAsia", "cs") whose script some text of the document is in."""
    found: set[str] = set()
    for text in texts:
        for slot, pattern in SLOT_SCRIPTS.items():
            if slot not in found and pattern.search(text):
                found.add(slot)
    return found


# --- numbers across runs -----------------------------------------------------------------------


def replace_numbers(
    paragraph: etree._Element, text_tag: str, knowledge: Knowledge
) -> list[tuple[str, str]]:
    """Outdated numbers in the paragraph's text replaced by the current one, across runs: the
    new text goes into the text element where the number starts, the others lose their piece.
    Returns (before, after) pairs."""
    pieces = [t for t in paragraph.iter(text_tag) if _owner(t, paragraph.tag) is paragraph]
    text = "".join(t.text or "" for t in pieces)
    matches = []
    for match in PHONE_LIKE.finditer(text):
        current = knowledge.numbers.current(match.group())
        if current and match.group().strip() != current:
            matches.append((match.start(), match.end(), match.group(), current))
    for start, end, _old, new in reversed(matches):
        _splice(pieces, start, end, new)
    return [(old, new) for _, _, old, new in matches]


def _owner(element: etree._Element, paragraph_tag: str) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != paragraph_tag:
        parent = parent.getparent()
    return parent


def _splice(pieces: list[etree._Element], start: int, end: int, new: str) -> None:
    offset = 0
    placed = False
    for piece in pieces:
        text = piece.text or ""
        low, high = offset, offset + len(text)
        offset = high
        if high <= start or low >= end:
            continue
        cut_from, cut_to = max(start, low) - low, min(end, high) - low
        insert = new if not placed else ""
        placed = True
        piece.text = text[:cut_from] + insert + text[cut_to:]
        if piece.tag.startswith("{" + NS["w"]):
            piece.set(XML_SPACE, "preserve")


# --- fonts and colours in attributes -----------------------------------------------------------


SYMBOL_FONTS = frozenset(
    {"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett", "mt extra"}
)
SYMBOL_REASON = "a symbol font: another font would change the characters"


def recorder(changes: Changes, what: str, part: str, where: str) -> Callable[..., None]:
    """What `fix_font_attributes` calls for each font it changes or leaves alone."""

    def record(before: str, after: str, done: bool = True, reason: str = "") -> None:
        changes.add(what, part, where, before, after, done=done, reason=reason)

    return record


def fix_font_attributes(
    element: etree._Element,
    attributes: Iterable[str],
    knowledge: Knowledge,
    record: Callable[..., None],
) -> bool:
    """Each attribute naming a font not allowed (and shown) gets the replacement; a symbol
    font is listed as left alone. `record(before, after, done=True, reason="")`."""
    typefaces = knowledge.typefaces
    changed = False
    for attribute in attributes:
        font = element.get(attribute)
        if font and font.lower() in SYMBOL_FONTS:
            record(font, font, done=False, reason=SYMBOL_REASON)
            continue
        if typefaces is None or not typefaces.replacement:
            continue
        if not font or font.startswith("+") or typefaces.allowed(font):
            continue
        if not knowledge.targets_font(font):
            continue  # named, but no text is shown in it
        element.set(attribute, typefaces.replacement)
        record(font, typefaces.replacement)
        changed = True
    return changed


def fix_colour_attribute(
    element: etree._Element,
    attribute: str,
    knowledge: Knowledge,
    record: Callable[[str, str, bool, str], None],
    near: bool = False,
) -> bool:
    """A hex colour in `attribute` replaced by the nearest palette colour when close enough;
    record(before, after, done, reason). `near`: the value is a copy of the colour shown (a
    theme colour's), so a used colour close to it counts."""
    palette = knowledge.palette
    value = element.get(attribute)
    if palette is None or not value or len(value) != 6:
        return False
    try:
        int(value, 16)
    except ValueError:
        return False
    if not knowledge.targets_colour(value, near):
        return False  # given, but nothing is shown in it
    verdict = palette.judge(value)
    if verdict is None:
        return False
    if not verdict.hex:
        reason = (
            f"nearest palette colour {verdict.swatch} is ΔE {verdict.delta_e} away, "
            f"not under {palette.limit:g}: may be deliberate"
        )
        record(f"#{value.upper()}", verdict.swatch, False, reason)
        return False
    element.set(attribute, verdict.hex)
    record(f"#{value.upper()}", f"{verdict.swatch} (ΔE {verdict.delta_e})", True, "")
    return True


# --- core properties ---------------------------------------------------------------------------


def fix_core(
    root: etree._Element | None,
    title: str | None,
    language: str | None,
    changes: Changes,
    part: str,
) -> bool:
    """dc:title and dc:language set where missing or empty. `title`/`language` None: leave."""
    if root is None:
        return False
    changed = False
    for name, value in (("title", title), ("language", language)):
        if value is None:
            continue
        found = root.find(f"dc:{name}", NS)
        if found is not None and (found.text or "").strip():
            continue
        if found is None:
            found = etree.SubElement(root, f"{{{NS['dc']}}}{name}")
        found.text = value
        changes.add(name, part, "core properties", "—", value)
        changed = True
    return changed


def fix_metadata(
    edited: Any,
    knowledge: Knowledge,
    changes: Changes,
    find_title: Callable[[], str | None],
    owner: str,
    source: str,
) -> None:
    """A missing title (from `find_title`: the first heading or slide title) and language in
    the core properties; `owner` ("document", "presentation") and `source` ("heading") word the
    reasons when they cannot be set."""
    core_name = next(iter(edited.package.related("", "core-properties")), None)
    core = edited.xml(core_name) if core_name else None
    if core is None:
        reason = f"the {owner} has no core properties part"
        changes.add("title", "docProps/core.xml", "core properties", "—", "—", done=False,
                    reason=reason)  # fmt: skip
        return
    title = None
    if missing_core(core, "title"):
        title = find_title()
        if title is None:
            changes.add("title", core_name, "core properties", "—", "—", done=False,
                        reason=f"no {source} to take the title from")  # fmt: skip
    language = knowledge.language if missing_core(core, "language") else None
    if fix_core(core, title, language, changes, core_name):
        edited.mark(core_name)


def missing_core(root: etree._Element | None, name: str) -> bool:
    if root is None:
        return False
    found = root.find(f"dc:{name}", NS)
    return found is None or not (found.text or "").strip()
