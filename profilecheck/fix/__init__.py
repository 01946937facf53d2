"""`profilecheck fix`: a corrected copy of a Word document or a presentation, never the input.

Fixes, by name (`--only`): `fonts` (font-not-allowed → the typeface rule's replacement, in
styles and theme first, then direct formatting), `colours` (colour-off-palette → the nearest
palette colour when ΔE2000 is under the palette rule's `fix-max-delta-e`), `numbers`
(contact-outdated → the current number, across runs), `metadata` (title-missing,
language-missing: dc:title from the first heading, dc:language and Word's default w:lang from
the profile). The package is opened as the reader opens it (`fix/package.py`), so a file the
check refuses is refused here too, with the same status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from profilecheck.core.errors import ReadError, is_out_of_memory
from profilecheck.core.files import NotRegularFile
from profilecheck.core.limits import Limits
from profilecheck.core.model import Format
from profilecheck.fix.edits import Change, Changes
from profilecheck.fix.knowledge import Knowledge, knowledge_from, with_targets
from profilecheck.fix.package import EditedPackage
from profilecheck.fix.slides import fix_slides
from profilecheck.fix.word import fix_word
from profilecheck.readers import read_document, sniff

# fix name -> the findings it removes
FIXES = {
    "fonts": ("font-not-allowed",),
    "colours": ("colour-off-palette",),
    "numbers": ("contact-outdated",),
    "metadata": ("title-missing", "language-missing"),
}
FIXABLE = frozenset(name for names in FIXES.values() for name in names)
# what is found but never fixed, and why
NOT_FIXED = {
    "logo": "the logo is artwork: place the profile's original file instead",
    "contact-missing": "only the author knows the person to contact",
    "contact-incomplete": "only the author knows the missing details",
    "image-alt-missing": "only the author knows what the picture shows",
    "text-too-small": "a larger size would reflow the layout: change the style by hand",
    "text-contrast-low": "a colour change would change the design: choose colours by hand",
}
EDITABLE = {Format.DOCX: "Word file", Format.PPTX: "PowerPoint file"}

__all__ = ["FIXES", "Change", "FileFix", "Knowledge", "fix_file", "knowledge_from", "parse_only"]


@dataclass
class FileFix:
    path: str
    format: str
    status: str  # fixed, unchanged, dry-run, not-edited, refused, exists
    output: str | None = None
    message: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def applied(self) -> list[Change]:
        return [c for c in self.changes if c.done and c.what != "invalidated"]


def parse_only(values: list[str]) -> set[str]:
    """Fix names or the finding names they fix; ValueError for any other."""
    chosen: set[str] = set()
    for value in values:
        if value in FIXES:
            chosen.add(value)
            continue
        owners = [fix for fix, names in FIXES.items() if value in names]
        if not owners:
            known = ", ".join([*FIXES, *sorted(FIXABLE)])
            raise ValueError(f"--only {value!r}: not a fix (one of {known})")
        chosen.update(owners)
    return chosen or set(FIXES)


def fix_file(
    path: str,
    output: Path | None,
    knowledge: Knowledge,
    fixes: set[str],
    limits: Limits,
    force: bool = False,
) -> FileFix:
    """Fix `path` into `output` (None: a dry run, nothing written)."""
    try:
        sniffed = sniff(path)
        fmt = sniffed.format
    except (OSError, NotRegularFile) as error:
        return FileFix(path, "unknown", "refused", message=f"cannot read the file: {error}")
    label = EDITABLE.get(fmt)
    if label is None:
        why = f"{fmt.value} files are not edited: only Word (.docx, .docm, .dotx) and PowerPoint"
        return FileFix(path, fmt.value, "not-edited", message=why + " (.pptx) files are")
    result = FileFix(path, fmt.value, "unchanged")
    if output is not None and output.exists() and not force:
        result.status = "exists"
        result.message = f"{output} exists (use --force to replace it)"
        return result
    try:
        with read_document(path, sniffed, limits) as document:  # refused as `check` refuses it
            knowledge = with_targets(knowledge, document)
        with EditedPackage(path, limits, label) as edited:
            changes = Changes()
            edit = fix_word if fmt is Format.DOCX else fix_slides
            edit(edited, knowledge, fixes, changes)
            if edited.strict and edited.changed:
                result.status = "not-edited"
                result.message = "an ISO Strict document: not edited (its parts would be rewritten in Transitional names)"
                return result
            for folder, what in edited.invalidated():
                changes.add(
                    "invalidated",
                    folder,
                    "—",
                    what,
                    "kept as it was",
                    done=False,
                    reason="kept byte for byte, but the content it signs or binds changed",
                )
            result.changes = list(changes)
            if edited.changed and output is not None:
                edited.write(output)
                result.output = str(output)
            if edited.changed:
                result.status = "fixed" if output is not None else "dry-run"
    except ReadError as error:
        return FileFix(path, fmt.value, "refused", message=f"{error.finding}: {error.message}")
    except MemoryError:
        return FileFix(path, fmt.value, "refused", message="resource-limit: out of memory")
    except Exception as error:  # a hostile or odd file: a status, never a traceback
        if is_out_of_memory(error):
            return FileFix(path, fmt.value, "refused", message="resource-limit: out of memory")
        message = f"cannot edit the file ({type(error).__name__}: {error})"
        return FileFix(path, fmt.value, "refused", message=message)
    return result
