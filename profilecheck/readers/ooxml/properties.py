"""The core and extended properties of an OOXML package (docProps/core.xml, docProps/app.xml):
title, author, dates, the application that wrote it and the language it declares."""

from __future__ import annotations

from lxml import etree

from profilecheck.core.model import Metadata
from profilecheck.readers.ooxml.package import NS, Package


def text_of(root: etree._Element | None, path: str) -> str | None:
    found = root.find(path, NS) if root is not None else None
    return (found.text or "").strip() or None if found is not None else None


def _part(package: Package, kind: str) -> etree._Element | None:
    name = next(iter(package.related("", kind)), None)
    return package.xml(name) if name else None


def properties(package: Package, language: str | None) -> tuple[Metadata, str | None]:
    """The package's metadata with `language` (what the reader found the text marked in), and
    the language the core properties declare (dc:language), which Office does not use."""
    core = _part(package, "core-properties")
    app = _part(package, "extended-properties")
    metadata = Metadata(
        title=text_of(core, "dc:title"),
        language=language,
        tagged=None,
        author=text_of(core, "dc:creator"),
        created=text_of(core, "dcterms:created"),
        modified=text_of(core, "dcterms:modified"),
        producer=text_of(app, "ep:Application"),
    )
    return metadata, text_of(core, "dc:language")
