"""A package's structure, one decision for the sniffer and the Word and PowerPoint readers: how
part names are looked up, relationships, content types, and which part is the main Word document
(or the main presentation: `main_presentation_part`, the same rule).

Part names are looked up as Word does: case-insensitively and with or without a leading slash
(`/word/DOCUMENT.XML` is `word/document.xml`). The main document is the target of the package's
`officeDocument` relationship (`_rels/.rels`) when `[Content_Types].xml` does not give it
another kind of content (a workbook, a presentation), else `word/document.xml`. The sniffer
calls `package_kind` and the reader `Package.main_part`; both end in `main_word_part`, so what
one calls a Word file the other reads as one.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from profilecheck.core.errors import ReadError
from profilecheck.core.model import Status

HEAD_BYTES = 4096
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
WORD_MAIN_PARTS = ("word/document.xml", "word/document2.xml")
PRESENTATION_MAIN_PARTS = ("ppt/presentation.xml",)
OTHER_MAIN_PARTS = (*PRESENTATION_MAIN_PARTS, "xl/workbook.xml")  # never a Word main part
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
SNIFF_PART_LIMIT = 1024 * 1024  # the sniffer reads no more of a part (a real one is a few KB)
OTHER_PACKAGES = (  # what a zip that is not a Word file is, by a part it has
    ("xl/workbook.xml", "Excel workbook (xlsx)"),
    ("ppt/presentation.xml", "PowerPoint presentation (pptx)"),
)


@dataclass(frozen=True, slots=True)
class Rel:
    kind: str  # last segment of the relationship type: "styles", "image", "header", ...
    target: str  # part name inside the zip, or the URL for external targets
    external: bool = False


def part_key(name: str) -> str:
    """How a part is looked up: case-insensitively, without a leading slash."""
    return name.lstrip("/").lower()


def safe_parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def dtd_message(name: str) -> str:
    return (
        f"XML part {name} contains a DTD with entity declarations "
        "(XML entity expansion / external entity attack); refused"
    )


def has_dtd(head: bytes, name: str) -> None:
    """Refuse a part whose prolog declares a DTD; OOXML never legitimately has one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00<\x00" in head[:64]:
        encoding = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16"
        head = head.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
    if any(marker in head for marker in DTD_MARKERS):
        raise ReadError(Status.UNREADABLE, "unreadable-file", dtd_message(name))


def relationships(root: etree._Element | None, source: str) -> dict[str, Rel]:
    """The relationships of part `source` ("" for the package), by id, targets resolved to
    part names (external targets kept as they are)."""
    folder = posixpath.dirname(source)
    found: dict[str, Rel] = {}
    for rel in root if root is not None else ():
        rel_id, kind, target = rel.get("Id"), rel.get("Type", ""), rel.get("Target", "")
        if not rel_id or not target:
            continue
        kind = kind.rstrip("/").rsplit("/", 1)[-1]
        if rel.get("TargetMode") == "External":
            found[rel_id] = Rel(kind, target, external=True)
            continue
        target = target.split("#", 1)[0]
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[rel_id] = Rel(kind, posixpath.normpath(path).lstrip("/"))
    return found


def rels_name(source: str) -> str:
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", base + ".rels")


def main_word_part(
    xml: Callable[[str], etree._Element | None], names: Container[str]
) -> str | None:
    """The package's main Word part, or None when it has none. `xml` reads a part by name
    (None when absent or not well-formed); `names` holds the part keys (`part_key`)."""
    return _main_part(xml, names, WORD_MAIN_PARTS, _word_content, OTHER_MAIN_PARTS)


def main_presentation_part(
    xml: Callable[[str], etree._Element | None], names: Container[str]
) -> str | None:
    """The package's main PowerPoint part (presentation, template, slide show, macro-enabled:
    a presentationml content type), decided as `main_word_part` decides Word's."""
    return _main_part(xml, names, PRESENTATION_MAIN_PARTS, _presentation_content, WORD_MAIN_PARTS)


def _main_part(
    xml: Callable[[str], etree._Element | None],
    names: Container[str],
    defaults: tuple[str, ...],
    accepts: Callable[[str | None], bool],
    foreign: tuple[str, ...],
) -> str | None:
    """The first of the officeDocument targets and `defaults` present whose content type
    `accepts`; a part without a content type is tried unless it is another format's main part
    by name (`foreign`: a presentation with damaged content types is no Word file)."""
    overrides = _content_type_overrides(xml(CONTENT_TYPES))
    related = [
        rel.target
        for rel in relationships(xml(PACKAGE_RELS), "").values()
        if rel.kind == "officeDocument" and not rel.external
    ]
    for name in (*related, *defaults):
        key = part_key(name)
        known = overrides.get(key)
        if key in names and accepts(known) and (known is not None or key not in foreign):
            return name
    return None


def _content_type_overrides(root: etree._Element | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in root if root is not None else ():
        if isinstance(element.tag, str) and etree.QName(element).localname == "Override":
            found[part_key(element.get("PartName", ""))] = element.get("ContentType", "").lower()
    return found


def _word_content(content_type: str | None) -> bool:
    """A part without an override may be anything, and is tried; one with an override must be
    a Word main document (document, template, macro-enabled: wordprocessingml / ms-word)."""
    return content_type is None or "wordprocessingml" in content_type or "ms-word" in content_type


def _presentation_content(content_type: str | None) -> bool:
    return (
        content_type is None or "presentationml" in content_type or "ms-powerpoint" in content_type
    )


def package_kind(file: BinaryIO) -> str:
    """ "docx", "pptx", or what else the zip is ("Excel workbook (xlsx)", "zip archive", ...).
    Reads the directory and at most two small parts, refusing DTDs; zipfile's errors
    propagate."""
    with zipfile.ZipFile(file) as archive:
        infos = {part_key(info.filename): info for info in archive.infolist()}
        parser = safe_parser()

        def xml(name: str) -> etree._Element | None:
            info = infos.get(part_key(name))
            if info is None or info.file_size > SNIFF_PART_LIMIT or info.flag_bits & 0x1:
                return None
            try:
                with archive.open(info) as member:
                    data = member.read(SNIFF_PART_LIMIT + 1)
                has_dtd(data[:HEAD_BYTES], name)
                root = etree.fromstring(data, parser)
            except Exception:  # damaged, hostile or too large: as if absent; the reader says why
                return None
            docinfo = root.getroottree().docinfo
            return None if docinfo.doctype or docinfo.internalDTD is not None else root

        if main_word_part(xml, infos) is not None:
            return "docx"
        if main_presentation_part(xml, infos) is not None:
            return "pptx"
    for part, kind in OTHER_PACKAGES:
        if part in infos:
            return kind
    if "content.xml" in infos and "mimetype" in infos:
        return "OpenDocument file"
    return "zip archive"
