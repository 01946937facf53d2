"""Rule type `typeface`: text is set in the profile's typefaces, and PDFs embed their fonts.

    [params]
    families = ["Arial", "Georgia", "Calibri"]
    replacement = "Arial"
    [params.aliases]
    "Helvetica Neue" = "Arial"

Passes: spans in ArialMT, Arial-BoldMT, "Arial,Bold", ABCDEF+Georgia-Italic, Calibri Light.
Fails: a span in Comic Sans MS (`font-not-allowed`, once per family with its count and pages);
a PDF that uses Calibri without embedding it (`font-not-embedded`).

PDF fonts are judged by object, not by name: an embedded ABCDEF+TimesNewRoman does not hide a
non-embedded TimesNewRoman that draws text. A PDF's fonts include those of annotations (FreeText,
form fields' appearances and `/DA` fonts), Form XObjects and Type 3 glyph procedures. Only fonts
that draw visible text count for `font-not-embedded` (a non-empty string, not in the invisible
render mode 3, unless `invisible-text = "report"`, as an OCR layer's): with `unused-fonts =
"ignore"` (the default) a font merely listed in resources is never reported; `unused-fonts =
"report"` reports those too. Text that cannot reach the crop box does not count. Where the reader could
not tell which fonts draw (a file too large to follow), a font counts when a span uses its name.

Type 3 fonts draw their glyphs with PDF operators kept in the file: they are embedded by
definition and never `font-not-embedded`. `type3 = "allowed"` (the default) also lets their text
pass `font-not-allowed`; `type3 = "report"` reports each Type 3 font that draws text as
`type3-font` (info), and judges a named one's text by its name like any other font. A nameless
Type 3 font (shown as "Type3 (8 0 R)") is never `font-not-allowed`.

Font names are matched by family: subset prefixes, PostScript suffixes (MT, PS, PSMT) and style
suffixes (-Bold, ,Italic, " Bold") are removed; a name cut short by the PDF library (31 bytes
with its subset prefix: "HelveticaNeue LT 45 Ligh") matches the family or alias it begins.
Word runs are checked by their effective font and, where the reader found east-Asian or
complex-script text, by those slots too. Text whose
font has no name the file gives (a PDF span without a font name) cannot be judged and is
`font-unchecked`, with the rule file's `[texts]` key `no-font-name` as its {reason} ({count},
{pages}, {sample}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from profilecheck.core.codes import Check
from profilecheck.core.model import Document, Format, TextSpan
from profilecheck.core.scripts import SLOT_SCRIPTS
from profilecheck.engine.ruletype import Report, RuleType
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule
from profilecheck.profile.tokens import TokenError, load_tokens

SUBSET = re.compile(r"^[A-Z]{6}\+")
POSTSCRIPT_SUFFIX = re.compile(r"(PSMT|MT|PS)$")
STYLE_WORDS = re.compile(
    r"[\s_]*(Bold|Italic|Oblique|Regular|Light|Medium|Semibold|SemiBold|Demi|Black|Heavy|Book"
    r"|Condensed|Cond)$",
    re.IGNORECASE,
)
TYPE3_PLACEHOLDER = re.compile(r"^Type3 \(\d+ \d+ R\)$")  # MuPDF's name for a nameless one
TRUNCATED = 20  # a name this long that begins an allowed name may have been cut short
BASE_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def family_of(font: str) -> str:
    """'ABCDEF+Arial-BoldMT' → 'Arial'; 'Arial,Bold' → 'Arial'; 'Calibri Light' → 'Calibri'."""
    name = SUBSET.sub("", font.strip()).split(",")[0]
    if "-" in name:
        name = name.split("-")[0]
    name = POSTSCRIPT_SUFFIX.sub("", name)
    previous = None
    while previous != name:
        previous, name = name, STYLE_WORDS.sub("", name)
    return name.strip() or font.strip()


def family_key(font: str) -> str:
    return re.sub(r"[^a-z0-9]", "", family_of(font).lower())


@dataclass
class TypefaceParams:
    families: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # font name -> allowed family
    replacement: str | None = None  # suggested instead of a font not allowed
    tokens: str | None = None  # DTCG file whose fontFamily tokens add families
    weights: list[Literal["regular", "bold"]] = field(default_factory=list)  # empty: any
    styles: list[Literal["normal", "italic"]] = field(default_factory=list)  # empty: any
    embedding: bool = True  # report PDF fonts that are not embedded
    base14: Literal["ignore", "warn"] = "warn"  # the PDF standard fonts, when not embedded
    unused_fonts: Literal["ignore", "report"] = "ignore"  # listed fonts that draw no text
    invisible_text: Literal["ignore", "report"] = "ignore"  # text in render mode 3 (OCR layers)
    type3: Literal["allowed", "report"] = "allowed"  # Type 3 fonts: pass, or `type3-font`


@dataclass
class _Group:
    font: str
    count: int = 0
    pages: set[int] = field(default_factory=set)
    first: TextSpan | None = None


class TypefaceRule(RuleType):
    """Flags typefaces that are not in the profile, and fonts a PDF does not embed.

    `font-not-allowed` is reported once per family and document with the number of spans, the
    pages and a sample, and suggests the profile's replacement font. With `weights` or `styles`
    set, bold or italic text is checked too. `font-not-embedded` is judged per font object (two
    fonts of one name are two fonts), in page content, Form XObjects, annotations and form
    fields alike, for fonts that draw visible text; `unused-fonts = "report"` adds fonts that are
    only listed. `base14 = "ignore"` lets the 14 PDF standard fonts (Helvetica, Times-Roman,
    ...) pass. Type 3 fonts are embedded by definition: with `type3 = "allowed"` (the default)
    their text passes, with `type3 = "report"` each is `type3-font` (info) and a named one is
    judged by its name. Text that names no font is `font-unchecked`.
    """

    name = "typeface"
    checks = (
        Check("T301", "font-not-allowed", "warning", "A typeface that is not in the profile."),
        Check("T302", "font-not-embedded", "warning", "A font is not embedded in the PDF."),
        Check(
            "T304",
            "font-unchecked",
            "warning",
            "Text whose font cannot be read: its typeface is not checked.",
        ),
        Check("T306", "type3-font", "info", "Text drawn with a Type 3 font (glyphs as drawings)."),
    )
    Params = TypefaceParams

    def __init__(self, rule: Rule, params: TypefaceParams) -> None:
        super().__init__(rule, params)
        families = list(params.families)
        if params.tokens:
            families += load_tokens(rule.folder / params.tokens).families
        self.allowed = {family_key(name): name for name in families}
        self.allowed |= {family_key(a): t for a, t in params.aliases.items()}
        self.allowed |= {a.lower(): t for a, t in params.aliases.items()}
        self.replacement = params.replacement or (families[0] if families else None)
        self.full_names = [name.lower() for name in [*families, *params.aliases]]

    @classmethod
    def validate(cls, params: TypefaceParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        if params.tokens:
            try:
                load_tokens(rule.folder / params.tokens)
            except TokenError as error:
                problems.append(ParamProblem("params.tokens", str(error)))
        elif not params.families:
            problems.append(ParamProblem("params.families", "name at least one typeface"))
        known = {family_key(f) for f in params.families}
        for alias, target in params.aliases.items():
            if family_key(target) not in known and not params.tokens:
                problems.append(ParamProblem(f"params.aliases.{alias}", "not a listed family"))
        return problems

    def is_allowed(self, font: str) -> bool:
        if font.lower() in self.allowed or family_key(font) in self.allowed:
            return True
        cut = font.lower().strip()  # a name cut short: "HelveticaNeue LT 45 Ligh"
        return len(cut) >= TRUNCATED and any(name.startswith(cut) for name in self.full_names)

    def check(self, document: Document, report: Report) -> None:
        groups: dict[str, _Group] = {}
        nameless = _Group("")
        type3 = {font.name for font in document.fonts if font.kind == "Type3"}
        for span in document.spans():
            if not span.font.strip() and span.text.strip():
                nameless.count += 1
                nameless.pages.add(span.page)
                nameless.first = nameless.first or span
            for font in self._fonts_of(span):
                if (font in type3 or TYPE3_PLACEHOLDER.match(font)) and not self._judged(font):
                    continue
                if not self._span_ok(font, span):
                    group = groups.setdefault(family_key(font), _Group(family_of(font)))
                    group.count += 1
                    group.pages.add(span.page)
                    group.first = group.first or span
        for group in groups.values():
            self._report_font(group, document, report)
        if nameless.first is not None:
            _nameless(nameless, document, report)
        if self.params.embedding and document.format is Format.PDF:
            self._embedding(document, report)
        if self.params.type3 == "report":
            for font in document.fonts:
                if font.kind == "Type3" and font.used is not False:
                    page = font.pages[0] if font.pages else None
                    report("type3-font", page=page, part=None, font=font.name)

    def _judged(self, type3_font: str) -> bool:
        """Whether text in this Type 3 font is judged by its name (`type3 = "report"`)."""
        return self.params.type3 == "report" and not TYPE3_PLACEHOLDER.match(type3_font)

    def _fonts_of(self, span: TextSpan) -> list[str]:
        fonts = [span.font] if span.font else []
        fonts += [
            font
            for slot, font in span.font_slots
            if font and slot in SLOT_SCRIPTS and SLOT_SCRIPTS[slot].search(span.text)
        ]
        return list(dict.fromkeys(fonts))

    def _span_ok(self, font: str, span: TextSpan) -> bool:
        if not self.is_allowed(font):
            return False
        weight = "bold" if span.bold else "regular"
        style = "italic" if span.italic else "normal"
        if self.params.weights and weight not in self.params.weights:
            return False
        return not (self.params.styles and style not in self.params.styles)

    def _report_font(self, group: _Group, document: Document, report: Report) -> None:
        first = group.first
        assert first is not None
        name = group.font
        if self.is_allowed(first.font):  # allowed family, but a weight or style that is not
            name = f"{name} {'bold' if first.bold else ''}{' italic' if first.italic else ''}"
        pages = ", ".join(str(p) for p in sorted(group.pages)) if document.paginated else "—"
        report(
            "font-not-allowed",
            page=first.page,
            box=first.box,
            part=first.part,
            suggestion=self.replacement,
            measured={"value": group.count, "limit": 0},
            font=name.strip(),
            count=group.count,
            pages=pages,
            sample=f": “{first.text.strip()[:40]}”" if first.text.strip() else "",
        )

    def _embedding(self, document: Document, report: Report) -> None:
        """Each font object that is not embedded and draws text; once per name."""
        by_name: set[str] | None = None
        reported: set[str] = set()
        for font in document.fonts:
            if font.embedded is not False or font.kind == "Type3" or font.name in reported:
                continue
            counted = font.invisible and self.params.invisible_text == "report"
            if font.used is False and self.params.unused_fonts == "ignore" and not counted:
                continue
            if font.used is None:  # the reader could not tell: does text name it?
                if by_name is None:
                    spans = {span.font for span in document.spans()}
                    by_name = spans | {family_key(name) for name in spans}
                if font.name not in by_name and family_key(font.name) not in by_name:
                    continue
            if font.name in BASE_14 and self.params.base14 == "ignore":
                continue
            reported.add(font.name)
            report(
                "font-not-embedded",
                page=font.pages[0] if font.pages and document.paginated else None,
                part=None,
                suggestion="Bädda in typsnittet / Embed the font",
                font=font.name,
            )


def _nameless(group: _Group, document: Document, report: Report) -> None:
    first = group.first
    assert first is not None
    report.unchecked(
        "no-font-name",
        page=first.page,
        box=first.box,
        part=first.part,
        measured={"value": group.count},
        count=group.count,
        pages=", ".join(str(p) for p in sorted(group.pages)) if document.paginated else "—",
        sample=first.text.strip()[:40],
    )
