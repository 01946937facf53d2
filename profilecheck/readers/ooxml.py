"""Office Open XML plumbing for the Word reader: a guarded zip, safe XML, styles and theme.

Nothing here trusts the file. The zip's directory is checked against the limits before any
member is inflated, every XML part is refused if it declares a DTD, and the XML parser never
resolves entities or touches the network. Style resolution follows ECMA-376 §17.7.2: document
defaults, then the table, paragraph and character style (each with its basedOn chain), then
direct formatting. Toggle properties (bold, italic) are absolute in direct formatting and in
document defaults, and flip the inherited value when a table, paragraph or character style sets
them (§17.7.3); inside one basedOn chain the nearest definition wins.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from profilecheck.errors import ReadError
from profilecheck.limits import Limits
from profilecheck.model import Colour, Status
from profilecheck.readers.pixels import open_image

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
}
# ISO 29500 Strict documents use other namespace names for the same vocabulary.
STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", NS["w"].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", NS["r"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/main", NS["a"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/picture", NS["pic"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NS["wp"].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties", NS["ep"].encode()),
)
HEAD_BYTES = 4096
EOCD_SEARCH = 22 + 65535 + 20  # end record, longest comment, zip64 locator
LARGE_MEMBER = 1024 * 1024
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
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


@dataclass(frozen=True, slots=True)
class Rel:
    kind: str  # last segment of the relationship type: "styles", "image", "header", ...
    target: str  # part name inside the zip, or the URL for external targets
    external: bool = False


def refuse(finding: str, message: str) -> ReadError:
    return ReadError(Status.UNREADABLE, finding, message)


class Package:
    """A .docx zip whose directory has been checked against the limits before any inflation."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.limits = limits
        try:
            declared = declared_members(path)
            if declared is not None and declared > limits.max_zip_members:
                raise refuse("resource-limit", _too_many(declared, limits))
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise refuse("unreadable-file", f"not a readable Word file (damaged zip: {error})")
        try:
            self._names = self._check_directory()
            self._check_no_dtd()
        except BaseException:
            self.zip.close()
            raise
        self._parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        self._rels: dict[str, dict[str, Rel]] = {}
        self.problems: list[str] = []  # optional parts that were damaged and skipped

    def close(self) -> None:
        self.zip.close()

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_zip_members:
            raise refuse("resource-limit", _too_many(len(infos), limits))
        total = sum(info.file_size for info in infos)
        if total > limits.max_zip_uncompressed:
            raise refuse(
                "resource-limit",
                f"the Word file would inflate to {total:,} bytes; the limit is "
                f"{limits.max_zip_uncompressed:,} (zip bomb)",
            )
        for info in infos:
            if info.file_size > LARGE_MEMBER:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_zip_ratio:
                    raise refuse(
                        "resource-limit",
                        f"zip member {info.filename} is compressed {ratio:,.0f}:1; the limit is "
                        f"{limits.max_zip_ratio:,.0f}:1 (zip bomb)",
                    )
            if info.flag_bits & 0x1:
                raise refuse("unreadable-file", f"zip member {info.filename} is encrypted")
        return {info.filename.lstrip("/").lower(): info for info in infos}

    def _check_no_dtd(self) -> None:
        for lowered, info in self._names.items():
            if lowered.endswith((".xml", ".rels")):
                has_dtd(self._read(info, HEAD_BYTES), info.filename)

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def _read(self, info: zipfile.ZipInfo, limit: int = -1) -> bytes:
        try:
            with self.zip.open(info) as member:
                return member.read(limit)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise refuse("unreadable-file", f"zip member {info.filename} is damaged: {error}")
        except Exception as error:  # zlib.error, lzma/bz2 errors
            raise refuse("unreadable-file", f"zip member {info.filename} is damaged: {error}")

    def read(self, name: str) -> bytes:
        info = self._names.get(name.lower())
        if info is None:
            raise refuse("unreadable-file", f"the Word file has no part {name}")
        return self._read(info)

    def xml(self, name: str, required: bool = False) -> etree._Element | None:
        """The parsed part, or None when absent or (unless `required`) not well-formed.

        Hostile parts (a DTD, over the size limit) always raise ReadError.
        """
        info = self._names.get(name.lower())
        if info is None:
            return None
        if info.file_size > self.limits.max_xml_part:
            raise refuse(
                "resource-limit",
                f"XML part {name} is {info.file_size:,} bytes; the limit is "
                f"{self.limits.max_xml_part:,}",
            )
        data = self._read(info)
        has_dtd(data[:HEAD_BYTES], name)
        if b"purl.oclc.org/ooxml" in data:
            for strict, transitional in STRICT_NAMESPACES:
                data = data.replace(strict, transitional)
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as error:
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
            folder, base = posixpath.split(source)
            root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
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
            self._rels[source] = found
        return self._rels[source]

    def related(self, source: str, kind: str) -> list[str]:
        return [r.target for r in self.rels(source).values() if r.kind == kind and not r.external]

    def main_part(self) -> str:
        for target in self.related("", "officeDocument"):
            if self.has(target):
                return target
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise refuse(
            "unreadable-file",
            "the file is a zip but has no main Word document part (word/document.xml)",
        )


def _too_many(count: int, limits: Limits) -> str:
    return (
        f"the Word file's zip has {count:,} members; the limit is "
        f"{limits.max_zip_members:,} (possible zip bomb)"
    )


def declared_members(path: str) -> int | None:
    """The member count in the zip's end record, read before zipfile parses the directory."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - EOCD_SEARCH))
        tail = handle.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + 22 > len(tail):
            return None
        count = struct.unpack_from("<H", tail, end + 10)[0]
        locator = end - 20
        if count != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            return count
        handle.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
        record = handle.read(56)
        if len(record) < 40 or record[:4] != b"PK\x06\x06":
            return None
        return struct.unpack_from("<Q", record, 32)[0]


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
        raise refuse("unreadable-file", dtd_message(name))


# --- theme -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Theme:
    fonts: dict[str, str] = field(default_factory=dict)  # "minorHAnsi" → "Calibri"
    colours: dict[str, str] = field(default_factory=dict)  # "accent1" → "4472C4"
    mapping: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOUR_MAPPING))

    @classmethod
    def parse(cls, root: etree._Element | None, settings: etree._Element | None) -> Theme:
        theme = cls()
        if root is not None:
            scheme = root.find("a:themeElements/a:clrScheme", NS)
            for entry in scheme if scheme is not None else ():
                if not isinstance(entry.tag, str) or not len(entry):
                    continue
                value = _plain_colour(entry[0])
                if value:
                    theme.colours[etree.QName(entry).localname] = value
            fonts = root.find("a:themeElements/a:fontScheme", NS)
            for major in ("major", "minor"):
                group = fonts.find(f"a:{major}Font", NS) if fonts is not None else None
                if group is None:
                    continue
                for script, names in (
                    ("latin", ("Ascii", "HAnsi")),
                    ("ea", ("EastAsia",)),
                    ("cs", ("Bidi",)),
                ):
                    face = group.find(f"a:{script}", NS)
                    typeface = face.get("typeface", "") if face is not None else ""
                    for name in names if typeface else ():
                        theme.fonts[major + name] = typeface
        mapping = settings.find("w:clrSchemeMapping", NS) if settings is not None else None
        if mapping is not None:
            for attr, name in MAPPING_ATTRS.items():
                value = mapping.get(w(attr))
                if value:
                    theme.mapping[name] = value
                    theme.mapping[{"t1": "tx1", "t2": "tx2"}.get(attr, attr)] = value
        return theme

    def scheme_hex(self, name: str) -> str | None:
        name = self.mapping.get(name, name)
        return self.colours.get(SCHEME_NAMES.get(name, name))


def _plain_colour(element: etree._Element) -> str | None:
    """The hex of an a:srgbClr or a:sysClr element (a theme's dk1, a duotone stop, ...)."""
    local = etree.QName(element).localname if isinstance(element.tag, str) else ""
    value = ""
    if local == "srgbClr":
        value = element.get("val", "")
    elif local == "sysClr":
        value = element.get("lastClr") or SYSTEM_COLOURS.get(element.get("val", ""), "")
    return value.upper() if HEX_COLOUR.match(value) else None


def drawing_colour(element: etree._Element, theme: Theme) -> str | None:
    """A DrawingML colour element (srgbClr, schemeClr, prstClr, sysClr) with lumMod/lumOff."""
    local = etree.QName(element).localname
    if local == "schemeClr":
        base = theme.scheme_hex(element.get("val", ""))
    elif local == "prstClr":
        base = {"black": "000000", "white": "FFFFFF"}.get(element.get("val", ""))
    else:
        base = _plain_colour(element)
    if base is None:
        return None
    mods = {etree.QName(m).localname: to_int(m.get("val")) for m in element}
    hue, light, sat = colorsys.rgb_to_hls(*(int(base[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    if mods.get("lumMod") is not None:
        light *= mods["lumMod"] / 100000
    if mods.get("lumOff") is not None:
        light += mods["lumOff"] / 100000
    if mods.get("tint") is not None:
        light = light * mods["tint"] / 100000 + (1 - mods["tint"] / 100000)
    if mods.get("shade") is not None:
        light *= mods["shade"] / 100000
    rgb = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat)
    return "".join(f"{round(c * 255):02X}" for c in rgb)


def theme_colour(hex_value: str, tint: str | None, shade: str | None) -> Colour:
    """A theme colour with Word's w:themeTint / w:themeShade applied to HSL luminance.

    ECMA-376 §17.3.2.6: tint moves luminance towards white (L·t + 1 − t), shade towards black
    (L·s), with t and s the hex byte / 255, computed in HSL and truncated to 8 bits as Word does.
    It matches Word's palette to within one step per channel, so it is marked inexact.
    """
    rgb = tuple(int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    factors = [(kind, _hex_byte(value)) for kind, value in (("tint", tint), ("shade", shade))]
    factors = [(kind, value) for kind, value in factors if value is not None]
    if not factors:
        return Colour("rgb", rgb, exact=True)
    hue, light, sat = colorsys.rgb_to_hls(*rgb)
    for kind, value in factors:
        light = light * value + (1 - value) if kind == "tint" else light * value
    rgb = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat)
    return Colour("rgb", tuple(math.floor(c * 255 + 1e-6) / 255 for c in rgb), exact=False)


def _hex_byte(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(max(int(value, 16), 0), 255) / 255
    except ValueError:
        return None


def hex_colour(value: str) -> Colour:
    return Colour("rgb", tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)), exact=True)


# --- properties and styles ---------------------------------------------------------------------

Props = dict[str, Any]


def parse_rpr(rpr: etree._Element | None) -> Props:
    """Run properties of one w:rPr as a flat dict (only what profilecheck uses)."""
    props: Props = {}
    if rpr is None:
        return props
    for child in rpr:
        if not isinstance(child.tag, str) or not child.tag.startswith("{" + W):
            continue
        local = child.tag[len(W) + 2 :]
        if local in TOGGLES or local in ("rtl", "cs"):
            props[local] = on_off(child)
        elif local == "rFonts":
            for slot in FONT_SLOTS:
                ref, name = child.get(w(THEME_FONT_ATTRS[slot])), child.get(w(slot))
                if ref or name:
                    props["font." + slot] = (ref, name)
            if child.get(w("hint")):
                props["hint"] = child.get(w("hint"))
        elif local in ("sz", "szCs"):
            size = to_int(child.get(W_VAL))
            if size is not None and size > 0:
                props[local] = size
        elif local == "color":
            props["color"] = (
                child.get(W_VAL),
                child.get(w("themeColor")),
                child.get(w("themeTint")),
                child.get(w("themeShade")),
            )
        elif local == "highlight":
            props["highlight"] = child.get(W_VAL)
        elif local == "shd":
            props["shd"] = parse_shd(child)
        elif local == "lang":
            for attr in ("val", "eastAsia", "bidi"):
                if child.get(w(attr)):
                    props["lang." + attr] = child.get(w(attr))
        elif local == "rStyle":
            props["rStyle"] = child.get(W_VAL)
    return props


def parse_shd(element: etree._Element | None) -> tuple[str | None, ...] | None:
    if element is None:
        return None
    return (
        element.get(W_VAL),
        element.get(w("color")),
        element.get(w("fill")),
        element.get(w("themeFill")),
        element.get(w("themeFillTint")),
        element.get(w("themeFillShade")),
    )


def parse_ppr(ppr: etree._Element | None) -> Props:
    props: Props = {}
    if ppr is None:
        return props
    style = ppr.find("w:pStyle", NS)
    if style is not None:
        props["pStyle"] = style.get(W_VAL)
    shd = ppr.find("w:shd", NS)
    if shd is not None:
        props["shd"] = parse_shd(shd)
    level = ppr.find("w:outlineLvl", NS)
    if level is not None:
        props["outlineLvl"] = to_int(level.get(W_VAL))
    return props


@dataclass(slots=True)
class Style:
    id: str
    kind: str
    name: str
    based_on: str | None
    rpr: Props
    ppr: Props
    default: bool


HEADING_ID = re.compile(r"^(heading|rubrik|berschrift|titre|kop|overskrift|otsikko)\s*\d$", re.I)


class Styles:
    """styles.xml with its document defaults, resolved per style id once."""

    def __init__(self, root: etree._Element | None, theme: Theme) -> None:
        self.theme = theme
        self.styles: dict[str, Style] = {}
        self.defaults: dict[str, str | None] = {"paragraph": None, "character": None, "table": None}
        self.default_rpr: Props = {}
        self.default_ppr: Props = {}
        self._cache: dict[tuple[str | None, ...], Props] = {}
        if root is None:
            return
        defaults = root.find("w:docDefaults", NS)
        if defaults is not None:
            self.default_rpr = parse_rpr(defaults.find("w:rPrDefault/w:rPr", NS))
            self.default_ppr = parse_ppr(defaults.find("w:pPrDefault/w:pPr", NS))
        for element in root.iterfind("w:style", NS):
            style_id = element.get(w("styleId"))
            if not style_id:
                continue
            name = element.find("w:name", NS)
            based = element.find("w:basedOn", NS)
            style = Style(
                id=style_id,
                kind=element.get(w("type"), "paragraph"),
                name=name.get(W_VAL, style_id) if name is not None else style_id,
                based_on=based.get(W_VAL) if based is not None else None,
                rpr=parse_rpr(element.find("w:rPr", NS)),
                ppr=parse_ppr(element.find("w:pPr", NS)),
                default=element.get(w("default")) in ("1", "true", "on"),
            )
            self.styles.setdefault(style_id, style)
            if style.default and self.defaults.get(style.kind) is None:
                self.defaults[style.kind] = style_id

    def chain_rpr(self, style_id: str | None) -> Props:
        key = ("r", style_id)
        if key not in self._cache:
            merged: Props = {}
            for style in self.chain(style_id):
                merged.update(style.rpr)
            merged.pop("rStyle", None)
            self._cache[key] = merged
        return self._cache[key]

    def chain_ppr(self, style_id: str | None) -> Props:
        key = ("p", style_id)
        if key not in self._cache:
            merged: Props = dict(self.default_ppr)
            for style in self.chain(style_id):
                merged.update(style.ppr)
            self._cache[key] = merged
        return self._cache[key]

    def run_base(self, char: str | None, para: str | None, table: str | None) -> Props:
        """Run properties from defaults and styles, before direct formatting. Do not mutate."""
        key = ("run", char, para, table)
        if key not in self._cache:
            props = dict(self.default_rpr)
            for style_id in (table, para, char):
                for name, value in self.chain_rpr(style_id).items():
                    if name in TOGGLES:
                        if value:
                            props[name] = not props.get(name, False)
                    else:
                        props[name] = value
            self._cache[key] = props
        return self._cache[key]

    def resolve(self, style_id: str | None, kind: str) -> str | None:
        """The id that applies: `style_id` if it exists, else the default style of `kind`."""
        if style_id and style_id in self.styles:
            return style_id
        return self.defaults.get(kind)

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and its basedOn ancestors, base first; loops are cut."""
        found: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen and len(seen) < 64:
            seen.add(style_id)
            style = self.styles[style_id]
            found.append(style)
            style_id = style.based_on
        return found[::-1]

    def heading_name(self, style_id: str | None) -> str | None:
        """The style's name if it (or its basedOn chain) is a built-in heading style."""
        chain = self.chain(style_id)
        for style in chain:
            level = style.ppr.get("outlineLvl")
            if (level is not None and 0 <= level < 9) or HEADING_ID.match(style.id):
                return chain[-1].name
            if re.match(r"^heading \d$", style.name, re.I):
                return chain[-1].name
        return None

    def theme_font(self, value: tuple[str | None, str | None] | None) -> str | None:
        if value is None:
            return None
        ref, name = value
        return (self.theme.fonts.get(ref) if ref else None) or name


# --- images ------------------------------------------------------------------------------------

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
        image = open_image(data, package.limits.max_image_pixels)
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
