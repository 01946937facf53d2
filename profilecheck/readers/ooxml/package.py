"""Office Open XML plumbing for the Word and PowerPoint readers: a guarded zip, safe XML, image
parts.

Nothing here trusts the file. The zip's directory is checked against the limits before any
member is inflated, every XML part is refused if it declares a DTD, and the XML parser never
resolves entities or touches the network. Styles and theme: `readers/ooxml/styles.py`.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from lxml import etree

from profilecheck.core.errors import ReadError, is_out_of_memory
from profilecheck.core.files import open_regular
from profilecheck.core.limits import Limits, hit
from profilecheck.core.model import Status
from profilecheck.readers.ooxml.parts import (
    HEAD_BYTES,
    Rel,
    dtd_message,
    has_dtd,
    main_word_part,
    part_key,
    relationships,
    rels_name,
    safe_parser,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
# ISO 29500 Strict documents use other namespace names for the same vocabulary.
STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", NS["w"].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", NS["r"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/main", NS["a"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/picture", NS["pic"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NS["wp"].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties", NS["ep"].encode()),
    (b"http://purl.oclc.org/ooxml/presentationml/main", NS["p"].encode()),
)
EOCD_SEARCH = 22 + 65535 + 20  # end record, longest comment, zip64 locator
LARGE_MEMBER = 1024 * 1024
EMU_PER_POINT = 12700
# Word's font when neither styles nor defaults name one (also used for an East Asian or complex
# script slot whose theme font is empty, where Word would pick a script-specific font instead)
DEFAULT_FONT = "Times New Roman"
DEFAULT_SIZE = 10.0  # points; Word's size when nothing sets w:sz
TOGGLES = frozenset({"b", "bCs", "i", "iCs", "vanish"})
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_FONT_ATTRS = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme"}
THEME_FONT_ATTRS["cs"] = "cstheme"
HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}
# Word's w:themeColor names and DrawingML's a:schemeClr names, as a:clrScheme element names.
SCHEME_NAMES = {
    "dark1": "dk1",
    "light1": "lt1",
    "dark2": "dk2",
    "light2": "lt2",
    "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
}
# w:clrSchemeMapping in settings.xml; these are Word's defaults.
DEFAULT_COLOUR_MAPPING = {
    "text1": "dark1",
    "background1": "light1",
    "text2": "dark2",
    "background2": "light2",
    "tx1": "dark1",
    "bg1": "light1",
    "tx2": "dark2",
    "bg2": "light2",
}
MAPPING_ATTRS = {"t1": "text1", "bg1": "background1", "t2": "text2", "bg2": "background2"}
SYSTEM_COLOURS = {"windowText": "000000", "window": "FFFFFF"}
HEX_COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")


def tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


W_VAL = w("val")


def on_off(element: etree._Element | None) -> bool | None:
    """An ST_OnOff element: absent → None, present without w:val → True."""
    if element is None:
        return None
    return element.get(W_VAL, "true") not in ("0", "false", "off")


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


# --- the package -------------------------------------------------------------------------------


def refuse(finding: str, message: str) -> ReadError:
    return ReadError(Status.UNREADABLE, finding, message)


class Package:
    """An OOXML zip whose directory has been checked against the limits before any inflation.
    `label` names the file in messages ("Word file", "PowerPoint file")."""

    def __init__(self, path: str, limits: Limits, label: str = "Word file") -> None:
        self.limits = limits
        self.label = label
        self._file = open_regular(path)  # NotRegularFile for a FIFO or a device: never blocks
        try:
            declared = declared_members(self._file)
            if declared is not None and declared > limits.max_zip_members:
                raise refuse("resource-limit", _too_many(declared, limits, label))
            self.zip = zipfile.ZipFile(self._file)
        except NotImplementedError as error:  # "zip file version 25.4", an unknown method
            self._file.close()
            raise refuse("unreadable-file", f"not a readable {label} (unsupported zip: {error})")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            self._file.close()
            raise refuse("unreadable-file", f"not a readable {label} (damaged zip: {error})")
        except BaseException:
            self._file.close()
            raise
        try:
            self._names = self._check_directory()
            self._check_no_dtd()
        except BaseException:
            self.close()
            raise
        self._parser = safe_parser()
        self._rels: dict[str, dict[str, Rel]] = {}
        self.problems: list[str] = []  # optional parts that were damaged and skipped

    def close(self) -> None:
        self.zip.close()
        self._file.close()

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_zip_members:
            raise refuse("resource-limit", _too_many(len(infos), limits, self.label))
        total = sum(info.file_size for info in infos)
        if total > limits.max_zip_uncompressed:
            raise refuse(
                "resource-limit",
                f"the {self.label} would inflate to {total:,} bytes, over "
                f"{hit('max_zip_uncompressed', limits)} (zip bomb)",
            )
        for info in infos:
            if info.file_size > LARGE_MEMBER:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_zip_ratio:
                    raise refuse(
                        "resource-limit",
                        f"zip member {info.filename} is compressed {ratio:,.0f}:1, over "
                        f"{hit('max_zip_ratio', limits)} (zip bomb)",
                    )
            if info.flag_bits & 0x1:
                raise refuse("unreadable-file", f"zip member {info.filename} is encrypted")
        return {part_key(info.filename): info for info in infos}

    def _check_no_dtd(self) -> None:
        for lowered, info in self._names.items():
            if lowered.endswith((".xml", ".rels")):
                has_dtd(self._read(info, HEAD_BYTES), info.filename)

    def has(self, name: str) -> bool:
        return part_key(name) in self._names

    def _read(self, info: zipfile.ZipInfo, limit: int = -1) -> bytes:
        try:
            with self.zip.open(info) as member:
                return member.read(limit)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise refuse("unreadable-file", f"zip member {info.filename} is damaged: {error}")
        except Exception as error:  # zlib.error, lzma/bz2 errors
            if is_out_of_memory(error):
                raise MemoryError(f"zip member {info.filename}: {error}") from error
            raise refuse("unreadable-file", f"zip member {info.filename} is damaged: {error}")

    def read(self, name: str) -> bytes:
        info = self._names.get(part_key(name))
        if info is None:
            raise refuse("unreadable-file", f"the {self.label} has no part {name}")
        return self._read(info)

    def xml(self, name: str, required: bool = False) -> etree._Element | None:
        """The parsed part, or None when absent or (unless `required`) not well-formed.

        Hostile parts (a DTD, over the size limit) always raise ReadError.
        """
        info = self._names.get(part_key(name))
        if info is None:
            return None
        if info.file_size > self.limits.max_xml_part:
            raise refuse(
                "resource-limit",
                f"XML part {name} is {info.file_size:,} bytes, over "
                f"{hit('max_xml_part', self.limits)}",
            )
        data = self._read(info)
        has_dtd(data[:HEAD_BYTES], name)
        elements = data.count(b"<") - data.count(b"</")  # start tags: what the tree will hold
        if elements > self.limits.max_xml_elements:
            raise refuse(
                "resource-limit",
                f"XML part {name} has {elements:,} elements, over "
                f"{hit('max_xml_elements', self.limits)}; not read",
            )
        if b"purl.oclc.org/ooxml" in data:
            for strict, transitional in STRICT_NAMESPACES:
                data = data.replace(strict, transitional)
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as error:
            if is_out_of_memory(error):  # libxml2 says "unknown error": not damage
                raise MemoryError(f"XML part {name}: {error}") from error
            if required:
                raise refuse("unreadable-file", f"XML part {name} is damaged: {error}")
            self.problems.append(f"XML part {name} is damaged and was skipped: {error}")
            return None
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise refuse("unreadable-file", dtd_message(name))
        return root

    def rels(self, source: str) -> dict[str, Rel]:
        """Relationships of part `source` ("" for the package), by id, targets resolved."""
        if source not in self._rels:
            self._rels[source] = relationships(self.xml(rels_name(source)), source)
        return self._rels[source]

    def related(self, source: str, kind: str) -> list[str]:
        return [r.target for r in self.rels(source).values() if r.kind == kind and not r.external]

    def main_part(self) -> str:
        """Decided as the sniffer decides it (`parts.main_word_part`)."""
        found = main_word_part(self.xml, self._names)
        if found is not None:
            return found
        raise refuse(
            "unreadable-file",
            "the file is a zip but has no main Word document part (word/document.xml)",
        )


def read_guarded(package: Package, read: Callable[[Package], Any]) -> Any:
    """`read(package)`, closing the package when it fails: what a hostile or odd file provokes
    becomes a ReadError (or a MemoryError), never another exception."""
    try:
        return read(package)
    except (ReadError, MemoryError):
        package.close()
        raise
    except RecursionError:
        package.close()
        raise refuse("unreadable-file", f"the {package.label} is nested too deeply to read")
    except Exception as error:  # anything else a hostile or odd file provokes
        package.close()
        if is_out_of_memory(error):
            raise MemoryError(str(error)) from error
        message = f"the {package.label} is damaged ({type(error).__name__}: {error})"
        raise ReadError(Status.UNREADABLE, "unreadable-file", message)


def _too_many(count: int, limits: Limits, label: str) -> str:
    return (
        f"the {label}'s zip has {count:,} members, over "
        f"{hit('max_zip_members', limits)} (possible zip bomb)"
    )


def declared_members(handle: BinaryIO) -> int | None:
    """The member count in the zip's end record, read before zipfile parses the directory."""
    size = handle.seek(0, 2)
    handle.seek(max(0, size - EOCD_SEARCH))
    tail = handle.read()
    handle.seek(0)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    count = struct.unpack_from("<H", tail, end + 10)[0]
    locator = end - 20
    if count != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
        return count
    handle.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
    record = handle.read(56)
    handle.seek(0)
    if len(record) < 40 or record[:4] != b"PK\x06\x06":
        return None
    return struct.unpack_from("<Q", record, 32)[0]


# --- theme -------------------------------------------------------------------------------------


VECTOR_SUFFIXES = (".emf", ".wmf", ".emz", ".wmz", ".svg", ".pict", ".pct", ".eps")


@dataclass(frozen=True, slots=True)
class ImagePart:
    name: str
    width: int
    height: int
    mode: str
    digest: str
    loader: Callable[[], Any] | None
    problem: str | None = None  # why there are no pixels


def image_part(package: Package, name: str, load: Callable[[bytes], Any]) -> ImagePart:
    """Pixel size, mode and digest of an image part; the pixels themselves stay in the zip."""
    import hashlib  # here: a document without pictures never loads OpenSSL's hashes

    data = package.read(name)
    digest = hashlib.sha1(data).hexdigest()
    head = data[:64]
    vector = (
        name.lower().endswith(VECTOR_SUFFIXES)
        or head[40:44] == b" EMF"
        or head.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"))
        or b"<svg" in data[:1024]
    )
    if vector:
        return ImagePart(name, 0, 0, "", digest, None, "vector image (EMF/WMF/SVG), not decoded")
    try:
        from profilecheck.readers.pixels import open_image  # Pillow only when there are pictures

        image = open_image(data, package.limits)
    except ReadError as error:
        return ImagePart(name, 0, 0, "", digest, None, error.message)
    width, height = image.size
    try:
        if int(image.getexif().get(0x0112, 1)) in (5, 6, 7, 8):
            width, height = height, width
    except Exception:
        pass
    mode = image.mode
    image.close()
    return ImagePart(name, width, height, mode, digest, lambda: load(package.read(name)))
