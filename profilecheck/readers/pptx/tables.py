"""PowerPoint tables: each cell's box, fill and text, with the table style's look.

A table (a:tbl in a p:graphicFrame) names a table style by id, from ppt/tableStyles.xml or one
of PowerPoint's built-in styles, and switches its parts on (a:tblPr firstRow, bandRow, ...). A
cell's look is the style's whole-table part, then the bands, the first and last column, the last
and the first row, each over the one before (ECMA-376 §20.1.4.2); a fill or text colour the cell
sets itself wins. Of the built-in styles only PowerPoint's default, "Medium Style 2 - Accent 1"
(the one python-pptx and PowerPoint give a new table), is known here; a table in another
built-in style gets no style fill and the text colour of the slide's other text.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from profilecheck.core.model import Part
from profilecheck.readers.ooxml.package import NS, to_int
from profilecheck.readers.pptx import styles
from profilecheck.readers.pptx.geometry import Mapping, box_of, box_of_emu, fill_colours
from profilecheck.readers.pptx.styles import Props, a

DEFAULT_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
_ACCENT_TEXT = (
    '<a:tcTxStyle b="on"><a:fontRef idx="minor"><a:prstClr val="black"/></a:fontRef>'
    '<a:schemeClr val="lt1"/></a:tcTxStyle>'
)
_ACCENT_FILL = '<a:fill><a:solidFill><a:schemeClr val="accent1"/></a:solidFill></a:fill>'
_TINT_FILL = (
    '<a:fill><a:solidFill><a:schemeClr val="accent1"><a:tint val="{tint}"/></a:schemeClr>'
    "</a:solidFill></a:fill>"
)
BUILT_IN = {
    DEFAULT_STYLE: (
        f'<a:tblStyle xmlns:a="{NS["a"]}" styleId="{DEFAULT_STYLE}" '
        'styleName="Medium Style 2 - Accent 1">'
        '<a:wholeTbl><a:tcTxStyle><a:fontRef idx="minor"><a:prstClr val="black"/></a:fontRef>'
        f'<a:schemeClr val="dk1"/></a:tcTxStyle><a:tcStyle>{_TINT_FILL.format(tint=20000)}'
        "</a:tcStyle></a:wholeTbl>"
        f"<a:band1H><a:tcStyle>{_TINT_FILL.format(tint=40000)}</a:tcStyle></a:band1H>"
        f"<a:band1V><a:tcStyle>{_TINT_FILL.format(tint=40000)}</a:tcStyle></a:band1V>"
        f"<a:lastCol>{_ACCENT_TEXT}<a:tcStyle>{_ACCENT_FILL}</a:tcStyle></a:lastCol>"
        f"<a:firstCol>{_ACCENT_TEXT}<a:tcStyle>{_ACCENT_FILL}</a:tcStyle></a:firstCol>"
        f"<a:lastRow>{_ACCENT_TEXT}<a:tcStyle>{_ACCENT_FILL}</a:tcStyle></a:lastRow>"
        f"<a:firstRow>{_ACCENT_TEXT}<a:tcStyle>{_ACCENT_FILL}</a:tcStyle></a:firstRow>"
        "</a:tblStyle>"
    )
}
FILLS = frozenset(a(k) for k in ("noFill", "solidFill", "gradFill", "pattFill", "blipFill"))


def table_styles(root: etree._Element | None) -> dict[str, etree._Element]:
    """The table styles of ppt/tableStyles.xml by id ("" for its default)."""
    found: dict[str, etree._Element] = {}
    for style in root.iterfind("a:tblStyle", NS) if root is not None else ():
        found[style.get("styleId", "")] = style
    if root is not None and root.get("def"):
        found[""] = found.get(root.get("def", ""), _built_in(root.get("def", "")))
    return {key: value for key, value in found.items() if value is not None}


def _built_in(style_id: str) -> etree._Element | None:
    xml = BUILT_IN.get(style_id)
    return etree.fromstring(xml) if xml else None


def style_of(table: etree._Element, known: dict[str, etree._Element]) -> etree._Element | None:
    found = table.find("a:tblPr/a:tableStyleId", NS)
    style_id = (found.text or "").strip() if found is not None else ""
    if not style_id:
        return None  # a table without a style id has none (PowerPoint writes the default's)
    return known.get(style_id) if style_id in known else _built_in(style_id)


def parts_for(flags: dict[str, bool], row: int, column: int, rows: int, columns: int) -> list[str]:
    """The style parts that apply to a cell, the weakest first."""
    parts = ["wholeTbl"]
    first_row, first_col = int(flags["firstRow"]), int(flags["firstCol"])
    if flags["bandCol"]:
        parts.append("band1V" if (column - first_col) % 2 == 0 else "band2V")
    if flags["bandRow"]:
        parts.append("band1H" if (row - first_row) % 2 == 0 else "band2H")
    if flags["lastCol"] and column == columns - 1:
        parts.append("lastCol")
    if flags["firstCol"] and column == 0:
        parts.append("firstCol")
    if flags["lastRow"] and row == rows - 1:
        parts.append("lastRow")
    if flags["firstRow"] and row == 0:
        parts.append("firstRow")
    return parts


def look(style: etree._Element | None, parts: list[str]) -> tuple[Props, etree._Element | None]:
    """The text properties and the fill (an a:fill, or an a:fillRef) the style gives a cell."""
    props: Props = {}
    fill = None
    for name in parts:
        part = style.find(f"a:{name}", NS) if style is not None else None
        if part is None:
            continue
        text = part.find("a:tcTxStyle", NS)
        if text is not None:
            props.update(_text_style(text))
        for found in (part.find("a:tcStyle/a:fill", NS), part.find("a:tcStyle/a:fillRef", NS)):
            if found is not None:
                fill = found
    return props, fill


def _text_style(element: etree._Element) -> Props:
    props: Props = {}
    for attr in ("b", "i"):
        if element.get(attr) in ("on", "off"):
            props[attr] = element.get(attr) == "on"
    ref = element.find("a:fontRef", NS)
    if ref is not None:
        props.update(styles.font_ref_props(ref))
    font = element.find("a:font/a:latin", NS)
    if font is not None and font.get("typeface"):
        props["latin"] = font.get("typeface")
    colour = styles.first_colour(element)
    if colour is not None:
        props["fill"] = colour
    return props


def read_table(shapes: Any, frame: etree._Element, slide: Any, mapping: Mapping) -> None:
    """The table's cells into `shapes` (a `shapes.Shapes`): fills as paint, text in part
    TABLE with the cell's box."""
    table = frame.find("a:graphic/a:graphicData/a:tbl", NS)
    if table is None:
        return
    box = box_of(frame.find("p:xfrm", NS), mapping)
    widths = [to_int(c.get("w")) or 0 for c in table.iterfind("a:tblGrid/a:gridCol", NS)]
    off = frame.find("p:xfrm/a:off", NS)
    left = to_int(off.get("x")) or 0 if off is not None else 0
    top = to_int(off.get("y")) or 0 if off is not None else 0
    props = table.find("a:tblPr", NS)
    flags = {
        key: props is not None and props.get(key) in ("1", "true")
        for key in ("firstRow", "lastRow", "firstCol", "lastCol", "bandRow", "bandCol")
    }
    style = style_of(table, shapes.table_styles)
    rows = table.findall("a:tr", NS)
    chain = [slide.defaults, slide.master.other]
    for row_number, row in enumerate(rows):
        height = to_int(row.get("h")) or 0
        x = left
        for column, cell in enumerate(row.iterfind("a:tc", NS)):
            width = sum(widths[column : column + (to_int(cell.get("gridSpan")) or 1)])
            where = box_of_emu(x, top, width, height, mapping) if box is not None else None
            x += widths[column] if column < len(widths) else 0
            if cell.get("hMerge") in ("1", "true") or cell.get("vMerge") in ("1", "true"):
                continue
            text, style_fill = look(
                style, parts_for(flags, row_number, column, len(rows), len(widths))
            )
            own = cell.find("a:tcPr", NS)
            if own is not None and any(child.tag in FILLS for child in own):
                colours, solid = fill_colours(own, None, "", slide.theme)
            elif style_fill is not None and style_fill.tag == a("fillRef"):
                colour = styles.colour_of(styles.first_colour(style_fill), slide.theme)
                colours, solid = ([colour] if colour else []), True
            else:
                colours, solid = fill_colours(style_fill, None, "", slide.theme)
            under = shapes.under(where, slide)
            for colour in colours:
                shapes.paint(colour, where, slide, "fill")
            if colours:
                shapes.layer(where, colours[0] if solid else None, slide)
            body = cell.find("a:txBody", NS)
            if body is not None:
                behind = (colours[0] if solid else None) if colours else under
                shapes.text(body, slide, chain, [text], Part.TABLE, where, behind, None)
        top += height
