"""A Word or PowerPoint package opened for editing, and written back part by part.

The package is opened with the reader's guarded `Package` (the same zip and XML limits, the
same safe parser, the same refusals), and parts are parsed with it. Writing copies every member
the fix did not change with its original ZipInfo (name, date, attributes, compression) and its
bytes as they were; only the changed XML parts are serialised again with lxml. Signatures
(`_xmlsignatures/`) and custom XML are kept as they are, and listed as invalidated when anything
else changed.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from profilecheck.core.limits import Limits
from profilecheck.readers.ooxml.package import Package, read_guarded
from profilecheck.readers.ooxml.parts import part_key

STRICT = b"purl.oclc.org/ooxml"
KEPT_AS_IS = (("_xmlsignatures/", "digital signature"), ("customxml/", "custom XML"))


class EditedPackage:
    """Parts parsed on demand; `changed` marks those to write again."""

    def __init__(self, path: str, limits: Limits, label: str) -> None:
        self.path = path
        self.package = Package(path, limits, label)
        self.parts: dict[str, etree._Element] = {}
        self.changed: set[str] = set()
        self.strict = False

    def close(self) -> None:
        self.package.close()

    def __enter__(self) -> EditedPackage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return [info.filename for info in self.package.zip.infolist()]

    def xml(self, name: str) -> etree._Element | None:
        """The parsed part (the same tree on every call), None when absent or damaged."""
        key = part_key(name)
        if key not in self.parts:
            if self.package.has(name) and STRICT in self.package.read(name)[:4096]:
                self.strict = True  # ISO Strict names: read as Transitional, never written back
            root = read_guarded(self.package, lambda p: p.xml(name))
            if root is None:
                return None
            self.parts[key] = root
        return self.parts[key]

    def mark(self, name: str) -> None:
        self.changed.add(part_key(name))

    def invalidated(self) -> list[tuple[str, str]]:
        """(folder, what) of the signatures and custom XML that changes make stale."""
        if not self.changed:
            return []
        found: dict[str, str] = {}
        for name in self.names():
            for prefix, what in KEPT_AS_IS:
                if part_key(name).startswith(prefix) and not name.endswith("/"):
                    found[name.split("/")[0] + "/"] = what
        return list(found.items())

    def write(self, target: Path) -> None:
        """The package with the changed parts, to `target` (written beside it, then renamed)."""
        handle, temporary = tempfile.mkstemp(prefix=".fix-", dir=target.parent)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", allowZip64=True) as out:
                for info in self.package.zip.infolist():
                    key = part_key(info.filename)
                    if key in self.changed:
                        data = serialise(self.parts[key])
                    else:
                        data = self.package.read(info.filename)
                    out.writestr(_copy_info(info), data, compress_type=info.compress_type)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.comment = info.comment
    copy.create_system = info.create_system
    copy.external_attr = info.external_attr
    copy.internal_attr = info.internal_attr
    return copy
