"""What `profilecheck fix` knows from the profile: the rule instances the engine compiled are
asked, so a fix replaces exactly what the check reports, with what the check suggests.

- fonts: the typeface rule's `is_allowed` and its `replacement`;
- colours: the palette rule's swatches, tolerances and `fix-max-delta-e`;
- numbers: the `digits` patterns of text rules whose finding is `contact-outdated`, and the
  contact rule's `[[params.outdated]]`; the current number is the phone number in the pattern's
  `replacement`, else the number in its suggestion, else the contact rule's first generic
  phone that is not outdated;
- language: the profile's, as a language tag (sv → sv-SE).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from profilecheck.analyses.phones import national_digits
from profilecheck.checks.palette.sources import colour_uses
from profilecheck.checks.text import PHONE_LIKE
from profilecheck.checks.typeface import family_key
from profilecheck.core.colour import Swatch, delta_e, is_neutral, lab, nearest
from profilecheck.core.model import Colour, Document
from profilecheck.core.scripts import SLOT_SCRIPTS
from profilecheck.engine.ruletype import pick_language

REGIONS = {"sv": "sv-SE", "en": "en-GB", "fi": "fi-FI", "nb": "nb-NO", "da": "da-DK"}
NEAR_DELTA_E = 1.5  # Word's copy of a theme colour and the colour the reader computes
REGIONS |= {"no": "nb-NO", "de": "de-DE", "fr": "fr-FR"}


@dataclass
class Typefaces:
    rule: Any  # the TypefaceRule instance

    def allowed(self, font: str) -> bool:
        return bool(self.rule.is_allowed(font))

    @property
    def replacement(self) -> str | None:
        return self.rule.replacement


@dataclass(frozen=True)
class ColourVerdict:
    hex: str  # the palette colour to use, or "" when the colour is kept
    swatch: str
    delta_e: float


@dataclass
class Palette:
    rule: Any  # the PaletteRule instance
    cache: dict[str, ColourVerdict | None] = field(default_factory=dict)

    @property
    def limit(self) -> float:
        return float(self.rule.params.fix_max_delta_e)

    def judge(self, hex_value: str) -> ColourVerdict | None:
        """None when the check accepts the colour; else the nearest palette colour, with
        `hex` empty when it is too far off to be replaced."""
        key = hex_value.upper()
        if key not in self.cache:
            self.cache[key] = self._judge(key)
        return self.cache[key]

    def _judge(self, key: str) -> ColourVerdict | None:
        params = self.rule.params
        colour = Colour.from_hex(key)
        swatches: list[Swatch] = self.rule.swatches
        if any(s.rgb is not None and s.rgb.hex == colour.hex for s in swatches):
            return None
        value = lab(colour)
        if value is None:
            return None
        neutral = is_neutral(value)
        if params.neutrals == "all" and neutral:
            return None
        if params.neutrals == "black-white" and neutral and (value[0] < 1 or value[0] > 99):
            return None
        match = nearest(colour, swatches, params.tolerance.cmyk / 100)
        if match is None or match.delta_e <= params.tolerance.exact:
            return None
        target = match.swatch.rgb.hex if match.swatch.rgb is not None else None
        if not target or match.delta_e >= self.limit:
            return ColourVerdict("", match.swatch.label, round(match.delta_e, 1))
        return ColourVerdict(
            target.lstrip("#").upper(), match.swatch.label, round(match.delta_e, 1)
        )


@dataclass
class Numbers:
    outdated: dict[str, str]  # national digits of an outdated number -> the current number

    def current(self, text: str) -> str | None:
        return self.outdated.get(national_digits(text))


@dataclass
class Knowledge:
    typefaces: Typefaces | None
    palette: Palette | None
    numbers: Numbers
    language: str  # a language tag: sv-SE
    lang: str  # the language of messages
    # what the document's text shows, as the reader found it: only these are changed, so a
    # style, theme slot or colour nothing uses is left as it is
    fonts: set[str] = field(default_factory=set)  # family keys of fonts not allowed
    colours: set[str] = field(default_factory=set)  # RRGGBB of colours used

    def targets_font(self, font: str) -> bool:
        return family_key(font) in self.fonts

    def targets_colour(self, value: str, near: bool = False) -> bool:
        if value.upper() in self.colours:
            return True
        if not near:
            return False
        shown = lab(Colour.from_hex(value))
        return shown is not None and any(
            delta_e(shown, lab(Colour.from_hex(used)) or shown) < NEAR_DELTA_E
            for used in self.colours
        )


def with_targets(knowledge: Knowledge, document: Document) -> Knowledge:
    """`knowledge` for one document: the fonts its text is set in that the profile does not
    allow, and the colours its text, shading and drawings use."""
    fonts: set[str] = set()
    if knowledge.typefaces is not None:
        for span in document.spans():
            for font in [span.font, *(f for slot, f in span.font_slots if _shown(slot, span))]:
                if font and not knowledge.typefaces.allowed(font):
                    fonts.add(family_key(font))
    colours = {
        use.colour.hex.lstrip("#").upper()
        for use in colour_uses(document, False, 0.0).uses
        if use.colour.hex
    }
    return replace(knowledge, fonts=fonts, colours=colours)


def _shown(slot: str, span: Any) -> bool:
    pattern = SLOT_SCRIPTS.get(slot)
    return pattern is not None and bool(pattern.search(span.text))


def knowledge_from(engine: Any) -> Knowledge:
    """What the engine's compiled rules know about fixing."""
    typefaces = palette = None
    outdated: dict[str, str | None] = {}
    generic: list[str] = []
    lang = engine.lang
    for active in engine.rules:
        kind, instance = active.rule.type, active.instance
        if kind == "typeface" and typefaces is None:
            typefaces = Typefaces(instance)
        elif kind == "palette" and palette is None:
            palette = Palette(instance)
        elif kind == "text":
            for pattern in instance.params.forbidden:
                if pattern.kind == "digits" and pattern.finding == "contact-outdated":
                    new = pattern.replacement or _number_in(pattern.suggestion, lang)
                    outdated[national_digits(pattern.pattern)] = new
        elif kind == "contact":
            generic += instance.params.generic_phones
            for old in instance.params.outdated:
                outdated.setdefault(national_digits(old.number), _number_in(old.suggestion, lang))
    fallback = next((p for p in generic if national_digits(p) not in outdated), None)
    numbers = {old: new or fallback for old, new in outdated.items()}
    known = {old: new for old, new in numbers.items() if new}
    return Knowledge(
        typefaces, palette, Numbers(known), language_tag(engine.profile.language), lang
    )


def _number_in(suggestion: Any, lang: str) -> str | None:
    text = pick_language(suggestion, lang) or ""
    found = PHONE_LIKE.search(text)
    return found.group().strip() if found else None


def language_tag(language: str) -> str:
    language = (language or "").strip()
    return REGIONS.get(language.lower(), language) if "-" not in language else language
