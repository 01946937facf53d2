"""The logo rule: each finding triggered by a fixture in PDF, Word or image form, and not by a
correct use. The fixtures are checked in one CLI run (the artwork model loads once)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from conftest import run_json, run_rule
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
ARTWORK = ROOT / "rules" / "ale" / "artwork"
PNG = ARTWORK / "png"
MM = 72 / 25.4


def _pdf(path: Path, png: Path | None, width_mm: float = 25, stretch: float = 1.0, **kw) -> Path:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    if kw.get("background"):
        page.draw_rect(page.rect, color=None, fill=kw["background"])
    page.insert_text((72, 400), "Välkommen till Ale kommun", fontsize=12)
    x, y = kw.get("at", (72, 72))
    if png is not None:
        with Image.open(png) as image:
            aspect = image.height / image.width
        w = width_mm * MM * stretch
        rect = pymupdf.Rect(x, y, x + w, y + width_mm * MM * aspect)
        if kw.get("rotate"):
            source = pymupdf.open()
            holder = source.new_page(width=rect.width, height=rect.height)
            holder.insert_image(holder.rect, filename=str(png), keep_proportion=False)
            page.show_pdf_page(rect, source, 0, rotate=kw["rotate"])
        else:
            page.insert_image(rect, filename=str(png), keep_proportion=False)
        if kw.get("text_gap_mm") is not None:
            gap = kw["text_gap_mm"] * MM
            page.insert_text((rect.x1 + gap, rect.y0 + 20), "Nyheter", fontsize=12)
        if kw.get("beside"):
            middle = rect.y0 + rect.height / 2
            page.insert_text((rect.x1 + 10, middle + 7), kw["beside"], fontsize=20)
        if kw.get("text_over"):
            page.insert_text((rect.x0 + 5, rect.y0 + rect.height / 2), "NYHET!", fontsize=20)
    document.save(path)
    return path


def _hue_shifted(path: Path) -> Path:
    import cv2

    rgba = np.asarray(Image.open(PNG / "vapen-colour-print.png").convert("RGBA")).copy()
    hsv = cv2.cvtColor(rgba[..., :3], cv2.COLOR_RGB2HSV)
    hsv[..., 0] = (hsv[..., 0].astype(int) + 40) % 180
    rgba[..., :3] = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    Image.fromarray(rgba).save(path)
    return path


def _on_photo(path: Path, art: str, height: int, mirror: bool = False) -> Path:
    import cv2

    rng = np.random.default_rng(7)
    noise = rng.integers(0, 255, (80, 100, 3), dtype=np.uint8)
    photo = cv2.GaussianBlur(cv2.resize(noise, (800, 640)), (0, 0), 6)
    photo = cv2.normalize(photo, None, 120, 240, cv2.NORM_MINMAX)
    rgba = Image.open(PNG / f"{art}-print.png").convert("RGBA")
    rgba = rgba.resize((round(rgba.width * height / rgba.height), height), Image.Resampling.LANCZOS)
    if mirror:
        rgba = rgba.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    picture = Image.fromarray(photo)
    picture.paste(rgba, (150, 200), rgba)
    picture.save(path)
    return path


def _poster(path: Path, at: tuple[int, int], bar_gap: int | None = None, sticker: int = 0) -> Path:
    """A white 900×700 picture with the colour vapen 180 px tall at `at`, a black bar (a line
    of text) `bar_gap` px right of it, and a grey sticker over its left `sticker` px."""
    picture = Image.new("RGB", (900, 700), "white")
    rgba = Image.open(PNG / "vapen-colour-print.png").convert("RGBA")
    rgba = rgba.resize((150, 180), Image.Resampling.LANCZOS)
    picture.paste(rgba, at, rgba)
    if bar_gap is not None:
        x = at[0] + 150 + bar_gap
        picture.paste((20, 20, 20), (x, at[1] + 80, x + 300, at[1] + 100))
    if sticker:
        picture.paste((200, 200, 200), (at[0] - 20, at[1] + 30, at[0] + sticker, at[1] + 200))
    picture.save(path)
    return path


def _other_shield(path: Path) -> Path:
    import cv2

    canvas = np.full((500, 600, 3), 235, np.uint8)
    shield = np.array([(200, 100), (360, 100), (360, 250), (280, 330), (200, 250)])
    cv2.fillPoly(canvas, [shield], (200, 30, 30))
    cv2.polylines(canvas, [shield], True, (26, 26, 26), 3)
    cv2.rectangle(canvas, (270, 130), (290, 280), (230, 200, 40), -1)
    cv2.rectangle(canvas, (220, 180), (340, 200), (230, 200, 40), -1)
    Image.fromarray(canvas).save(path)
    return path


def _vector_pdf(path: Path) -> Path:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    svg = pymupdf.open(str(ARTWORK / "logotype-horizontal-colour.svg"))
    source = pymupdf.open("pdf", svg.convert_to_pdf())
    page.show_pdf_page(pymupdf.Rect(72, 72, 372, 142), source, 0)
    page.insert_text((72, 400), "Välkommen", fontsize=12)
    document.save(path)
    return path


def _docx(
    path: Path,
    png: Path | None,
    stretch: float = 1.0,
    crop_right: float = 0.0,
    width_mm: float = 30,
    rotate: float = 0.0,
) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = docx.Document()
    if png is not None:
        with Image.open(png) as image:
            aspect = image.height / image.width
        height = Mm(width_mm * aspect)
        shape = document.add_picture(str(png), width=Mm(width_mm * stretch), height=height)
        pic = shape._inline.graphic.graphicData.pic
        if crop_right:  # Word's crop: <a:srcRect r="..."/> after the blip, in 1/1000 %
            source = OxmlElement("a:srcRect")
            source.set("r", str(round(crop_right * 100_000)))
            pic.blipFill.find(qn("a:blip")).addnext(source)
        if rotate:  # <a:xfrm rot="..."> in 1/60000 degree, clockwise
            pic.spPr.find(qn("a:xfrm")).set("rot", str(round(rotate * 60_000)))
    # the text well clear of the logo, as laid out (the clear space is measured on LibreOffice's
    # page where it is installed)
    document.add_paragraph("Välkommen till Ale kommun").paragraph_format.space_before = Mm(20)
    document.save(path)
    return path


def _with_emf_picture(path: Path, docx_path: Path) -> Path:
    """The Word file with its picture's bytes replaced by an EMF header, as when a template's
    logo is a Windows metafile (which cannot be decoded here)."""
    import zipfile

    emf = b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 200
    with zipfile.ZipFile(docx_path) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, emf if item.filename.startswith("word/media/") else data)
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("logo")
    colour, white = PNG / "vapen-colour-print.png", PNG / "vapen-white-print.png"
    files = {
        "ok": _pdf(folder / "ok.pdf", colour),
        "missing": _pdf(folder / "missing.pdf", None),
        "stretched": _pdf(folder / "stretched.pdf", colour, stretch=1.1),
        "rotated": _pdf(folder / "rotated.pdf", colour, rotate=15),
        "recoloured": _pdf(folder / "recoloured.pdf", _hue_shifted(folder / "hue.png")),
        "white-on-white": _pdf(folder / "white-on-white.pdf", white),
        "colour-on-dark": _pdf(folder / "colour-on-dark.pdf", colour, background=(0.04, 0.1, 0.3)),
        "white-on-dark": _pdf(folder / "white-on-dark.pdf", white, background=(0.04, 0.1, 0.3)),
        "small": _pdf(folder / "small.pdf", colour, width_mm=8),
        "crowded": _pdf(folder / "crowded.pdf", colour, text_gap_mm=1),
        "vector": _vector_pdf(folder / "vector.pdf"),
        "photo": _on_photo(folder / "photo.png", "vapen-colour", 180),
        "mirrored": _on_photo(folder / "mirrored.png", "logotype-horizontal-black", 120, True),
        "negative": _other_shield(folder / "negative.png"),
        "word-ok": _docx(folder / "ok.docx", colour),
        "word-stretched": _docx(folder / "stretched.docx", colour, 1.1),
        "word-missing": _docx(folder / "missing.docx", None),
        "word-rotated": _docx(folder / "rotated.docx", colour, rotate=15),
        "word-small": _docx(folder / "small.docx", colour, width_mm=8),
        "word-white": _docx(folder / "white.docx", white),
        "photo-small": _on_photo(folder / "photo-small.png", "vapen-colour", 50),
        "photo-white": _on_photo(folder / "photo-white.png", "vapen-white", 180),
        "word-cropped": _docx(folder / "cropped.docx", colour, crop_right=0.2),
        "covered": _pdf(folder / "covered.pdf", colour, text_over=True),
        "off-page": _pdf(folder / "off-page.pdf", colour, at=(-20, 72)),
        "picture-roomy": _poster(folder / "roomy.png", (300, 250), bar_gap=60),
        "picture-crowded": _poster(folder / "crowded.png", (300, 250), bar_gap=10),
        "picture-edge": _poster(folder / "edge.png", (10, 250)),
        "picture-covered": _poster(folder / "covered.png", (300, 250), sticker=40),
        "recombined": _pdf(folder / "recombined.pdf", colour, beside="Kultur och fritid"),
        "name-as-text": _pdf(folder / "name-as-text.pdf", colour, beside="Ale kommun"),
    }
    _, report = run_json("--isolated", "--select", "L,F", *map(str, files.values()))
    by_path = {entry["path"]: entry["findings"] for entry in report["files"]}
    return {name: by_path[str(path)] for name, path in files.items()}


def names(findings: list[dict]) -> list[str]:
    return sorted(f["name"] for f in findings)


def found(findings: list[dict]) -> dict:
    return next(f for f in findings if f["name"] == "logo-found")["measured"]


def test_correct_logo_on_first_page_is_only_reported_as_found(results):
    assert names(results["ok"]) == ["logo-found"]
    measured = found(results["ok"])
    assert measured["version"] == "vapen-colour"
    assert measured["source"] == "placed-image"
    assert measured["shield_width_mm"] == pytest.approx(25, abs=0.2)


def test_missing_logo(results):
    assert names(results["missing"]) == ["logo-missing"]


def test_stretched_logo_is_distorted(results):
    assert "logo-distorted" in names(results["stretched"])
    assert found(results["stretched"])["aspect_ratio"] == pytest.approx(1.1, abs=0.01)


def test_rotated_logo(results):
    assert "logo-rotated" in names(results["rotated"])
    assert abs(found(results["rotated"])["rotation"]) == pytest.approx(15, abs=0.5)


def test_mirrored_logotype_in_an_image(results):
    assert "logo-rotated" in names(results["mirrored"])
    assert found(results["mirrored"])["mirrored"] is True


def test_recoloured_logo(results):
    assert "logo-recoloured" in names(results["recoloured"])
    assert "logo-recoloured" not in names(results["ok"])


def test_wrong_version_for_the_background(results):
    assert "logo-wrong-version" in names(results["white-on-white"])
    assert "logo-wrong-version" in names(results["colour-on-dark"])
    assert names(results["white-on-dark"]) == ["logo-found"]


def test_too_small(results):
    assert "logo-too-small" in names(results["small"])
    assert found(results["small"])["shield_width_mm"] == pytest.approx(8, abs=0.2)


def test_clear_space(results):
    assert "logo-clear-space" in names(results["crowded"])


def test_clear_space_in_an_image_file(results):
    assert names(results["picture-roomy"]) == ["logo-found"]
    crowded = next(f for f in results["picture-crowded"] if f["name"] == "logo-clear-space")
    assert crowded["measured"]["value"] == pytest.approx(10 / 150, abs=0.03)
    edge = next(f for f in results["picture-edge"] if f["name"] == "logo-clear-space")
    assert edge["measured"]["value"] == pytest.approx(10 / 150, abs=0.03)


def test_cropped_or_covered(results):
    assert "logo-cropped" not in names(results["ok"]) + names(results["word-ok"])
    cropped = next(f for f in results["word-cropped"] if f["name"] == "logo-cropped")
    assert cropped["measured"]["cut"][2] == pytest.approx(0.2, abs=0.01)
    covered = next(f for f in results["covered"] if f["name"] == "logo-cropped")
    assert covered["measured"]["covered_fraction"] > 0.03
    hidden = next(f for f in results["picture-covered"] if f["name"] == "logo-cropped")
    assert hidden["measured"]["hidden_sides"] == ["left"]
    assert "logo-cropped" not in names(results["photo"]) + names(results["picture-roomy"])
    off_page = next(f for f in results["off-page"] if f["name"] == "logo-cropped")
    assert off_page["measured"]["cut"][0] == pytest.approx(20 / (25 * MM), abs=0.02)


def test_vapen_combined_with_text_in_the_names_place(results):
    recombined = [f for f in results["recombined"] if f["name"] == "logo-recombined"]
    assert recombined and recombined[0]["measured"]["text"] == "Kultur och fritid"
    name = [f for f in results["name-as-text"] if f["name"] == "logo-recombined"]
    assert name and name[0]["measured"]["text"] == name[0]["measured"]["name"] == "Ale kommun"
    assert "logo-recombined" not in names(results["crowded"])  # body text: clear space only


def test_vapen_alone_where_the_profile_forbids_it(results, tmp_path):
    strict = tmp_path / "strict"
    (strict / "rules").mkdir(parents=True)
    (strict / "profile.toml").write_text('name = "strict"\nextends = "ale"\n')
    rule = '[params]\nvapen-alone = "forbidden"\nrequired-in-images = true\n'
    (strict / "rules" / "logo.toml").write_text(rule)
    folder = tmp_path / "in"
    folder.mkdir()
    bare = _pdf(folder / "bare.pdf", PNG / "vapen-colour-print.png")
    logotype = _vector_pdf(folder / "logotype.pdf")
    picture = _other_shield(folder / "no-logo.png")
    args = ("--isolated", "--profile", str(strict), "--select", "L")
    _, report = run_json(*args, str(bare), str(logotype), str(picture))
    by_path = {entry["path"]: names(entry["findings"]) for entry in report["files"]}
    assert "logo-separated" in by_path[str(bare)]
    assert by_path[str(logotype)] == ["logo-found"]
    assert by_path[str(picture)] == ["logo-missing"]  # images must carry it in this profile
    assert "logo-separated" not in names(results["ok"])  # Ale allows the bare vapen


def test_vector_logo_found_by_pixels(results):
    assert names(results["vector"]) == ["logo-found"]
    measured = found(results["vector"])
    assert measured["source"] == "render"
    assert measured["version"] == "logotype-horizontal-colour"


def test_logo_on_a_photo_in_an_image_file(results):
    assert names(results["photo"]) == ["logo-found"]
    assert found(results["photo"])["version"] == "vapen-colour"


def test_another_coat_of_arms_is_not_the_logo(results):
    assert names(results["negative"]) == []


def test_word_picture(results):
    assert names(results["word-ok"]) == ["logo-found"]
    assert "logo-distorted" in names(results["word-stretched"])


def test_an_undecodable_picture_leaves_the_logo_unchecked_not_missing(results, tmp_path):
    """Without LibreOffice to render the Word page, an EMF picture is not looked at (with it,
    tests/test_office_logo.py: the rendered page is searched)."""
    colour = PNG / "vapen-colour-print.png"
    emf = _with_emf_picture(tmp_path / "emf.docx", _docx(tmp_path / "for-emf.docx", colour))
    (tmp_path / "empty").mkdir()
    _, report = run_json(
        "--isolated", "--select", "L,F", str(emf), env={"PATH": str(tmp_path / "empty")}
    )
    assert names(report["files"][0]["findings"]) == ["logo-unchecked"]
    assert names(results["missing"]) == ["logo-missing"]


def test_each_finding_in_word_form(results):
    assert names(results["word-missing"]) == ["logo-missing"]
    assert "logo-rotated" in names(results["word-rotated"])
    assert abs(found(results["word-rotated"])["rotation"]) == pytest.approx(15, abs=0.1)
    assert "logo-too-small" in names(results["word-small"])
    assert "logo-wrong-version" in names(results["word-white"])
    for name in ("logo-rotated", "logo-too-small", "logo-wrong-version"):
        assert name not in names(results["word-ok"])


def test_each_finding_in_image_form(results):
    small = next(f for f in results["photo-small"] if f["name"] == "logo-too-small")
    assert small["measured"]["unit"] == "px"
    assert "logo-wrong-version" in names(results["photo-white"])
    for name in ("logo-too-small", "logo-wrong-version"):
        assert name not in names(results["photo"])


def test_word_recolour_effects(tmp_path):
    from profilecheck.checks.logo import LogoRule
    from profilecheck.core.model import Box, Document, Format, Page, PlacedImage, Transform

    source = ROOT / "rules" / "ale" / "rules" / "logo.toml"
    table = tomllib.loads(source.read_text())
    pixels = Image.open(PNG / "vapen-colour-screen.png").convert("RGBA")
    image = PlacedImage(
        box=Box(72, 72, 72 + 25 * MM, 72 + 30 * MM),
        pixel_width=pixels.width,
        pixel_height=pixels.height,
        transform=Transform(),
        effects=("grayscale",),
        _loader=lambda: pixels,
    )
    page = Page(number=1, width=595, height=842, _load_images=lambda: [image])
    document = Document(path="memo.docx", format=Format.DOCX, pages=[page])
    findings = run_rule(LogoRule, table["params"], document, source)
    assert sorted(f.name for f in findings) == ["logo-found", "logo-recoloured", "logo-unchecked"]
    assert findings[-1].measured["reason"] == "clear-space-not-laid-out"  # no file to lay out


# ---- the vapen at any angle -----------------------------------------------------------------


def _turned_on_photo(
    path: Path, art: str, height: int, angle: float, mirror: bool = False, shear: float = 0.0
) -> Path:
    """`art` `height` px tall (mirrored, sheared by `shear` in its own frame) and turned `angle`
    degrees counter-clockwise, in the middle of an 800×640 photo-like picture."""
    import cv2

    rng = np.random.default_rng(7)
    noise = rng.integers(0, 255, (80, 100, 3), dtype=np.uint8)
    photo = cv2.GaussianBlur(cv2.resize(noise, (800, 640)), (0, 0), 6)
    photo = cv2.normalize(photo, None, 120, 240, cv2.NORM_MINMAX)
    with Image.open(PNG / f"{art}-print.png") as image:
        rgba = np.asarray(image.convert("RGBA"))
    if mirror:
        rgba = rgba[:, ::-1]
    h, w = rgba.shape[:2]
    k = height / h
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    own = np.array([[k, shear * k, -w * k / 2], [0, k, -height / 2], [0, 0, 1]])
    turn = np.array([[c, s, 400], [-s, c, 320], [0, 0, 1]])
    drawn = cv2.warpAffine(rgba, (turn @ own)[:2], (800, 640), flags=cv2.INTER_AREA)
    alpha = drawn[..., 3:4] / 255
    picture = (drawn[..., :3] * alpha + photo * (1 - alpha)).round().astype(np.uint8)
    Image.fromarray(picture).save(path)
    return path


TURNS = {"turned-60": 60.0, "turned-90": 90.0, "turned-137": 137.0, "upside-down": 180.0}
TURNS["turned-270"] = -90.0  # reported counter-clockwise, in (-180, 180]


@pytest.fixture(scope="module")
def turned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("turned")
    files = {
        name: _turned_on_photo(folder / f"{name}.png", "vapen-colour", 180, angle)
        for name, angle in {**TURNS, "turned-270": 270.0}.items()
    }
    files["upright"] = _turned_on_photo(folder / "upright.png", "vapen-colour", 180, 0.0)
    files["black-turned"] = _turned_on_photo(folder / "black.png", "vapen-black", 150, 215.0)
    files["mirrored-turned"] = _turned_on_photo(
        folder / "mirrored-turned.png", "logotype-horizontal-black", 90, 120.0, mirror=True
    )
    files["sheared"] = _turned_on_photo(folder / "sheared.png", "vapen-colour", 180, 0, shear=0.3)
    _, report = run_json("--isolated", "--select", "L,F", *map(str, files.values()))
    by_path = {entry["path"]: entry["findings"] for entry in report["files"]}
    return {name: by_path[str(path)] for name, path in files.items()}


def _angle_off(measured: float, expected: float) -> float:
    return abs((measured - expected + 180) % 360 - 180)


@pytest.mark.parametrize("name", list(TURNS))
def test_the_vapen_turned_by_any_angle_is_rotated(turned, name):
    rotated = next(f for f in turned[name] if f["name"] == "logo-rotated")
    assert _angle_off(rotated["measured"]["value"], TURNS[name]) < 1.0  # 180 may be -179.99
    assert rotated["measured"]["mirrored"] is False
    assert _angle_off(found(turned[name])["rotation"], TURNS[name]) < 1.0
    assert found(turned[name])["aspect_ratio"] == pytest.approx(1.0, abs=0.03)
    assert "logo-distorted" not in names(turned[name])


def test_a_turned_one_colour_vapen(turned):
    rotated = next(f for f in turned["black-turned"] if f["name"] == "logo-rotated")
    assert _angle_off(rotated["measured"]["value"], 215.0) < 1.0
    assert found(turned["black-turned"])["version"] == "vapen-black"


def test_a_mirrored_logotype_turned(turned):
    rotated = next(f for f in turned["mirrored-turned"] if f["name"] == "logo-rotated")
    assert rotated["measured"]["mirrored"] is True
    assert rotated["measured"]["value"] == pytest.approx(120.0, abs=1.0)
    assert found(turned["mirrored-turned"])["layout"] == "horizontal"


def test_an_upright_vapen_is_not_rotated(turned):
    assert names(turned["upright"]) == ["logo-found"]
    assert abs(found(turned["upright"])["rotation"]) < 0.5


def test_a_vapen_that_cannot_be_measured_is_unchecked(turned):
    """Sheared, the vapen is seen but not measured: logo-unchecked says so, with the place."""
    assert names(turned["sheared"]) == ["logo-unchecked"]
    unchecked = turned["sheared"][0]
    assert unchecked["measured"]["reason"] == "mark-unmeasured"
    x0, y0, x1, y1 = unchecked["location"]["box_pt"]
    assert x0 < 400 < x1 and y0 < 320 < y1


def test_an_upside_down_vapen_fails_the_run(tmp_path):
    picture = _turned_on_photo(tmp_path / "upside-down.png", "vapen-colour", 180, 180.0)
    code, report = run_json("--isolated", str(picture))
    assert code == 1
    findings = report["files"][0]["findings"]
    assert "logo-rotated" in names(findings)
    assert abs(found(findings)["rotation"]) == pytest.approx(180.0, abs=1.0)


def test_the_bundled_artwork_is_never_called_not_original(results, turned):
    """logo-not-original is for drawings of their own (tests/test_logo_artwork_shapes.py):
    every use of the bundled files here, scaled, turned, stretched, recoloured, on photos, in
    Word and on dark pages, is the original."""
    for findings in [*results.values(), *turned.values()]:
        assert "logo-not-original" not in names(findings)
    assert found(results["photo"])["version"] == "vapen-colour"
