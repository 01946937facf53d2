"""Artwork that does not look like ours: detection must not depend on the bundled drawing's
accidents. Copies of the Ale profile get other artwork (a 12 % transparent margin, the field
left transparent, a one-colour version leaving a metal charge blank, a stacked logotype with the
name on two lines), and the bundled profile meets an independent drawing of the same arms
(tests/artwork_drawing.py), which is `logo-not-original` rather than a chance mix of findings.
Each finding has a fixture that triggers it and one that does not."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pytest
from artwork_drawing import render_svg, vapen_svg
from conftest import make_profile
from PIL import Image, ImageDraw, ImageFont

from profilecheck.checks.logo import artwork
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

ROOT = Path(__file__).resolve().parents[1]
ALE = ROOT / "rules" / "ale"
ART = ALE / "artwork"
PNG = ART / "png"
MM = 72 / 25.4
PAD = 0.12


def ale_copy(folder: Path, versions: list[tuple[str, Path, str]], extra: str = "") -> Path:
    """A copy of the Ale profile's logo rule whose artwork is `versions` (name, file,
    background); the first is the mark."""
    text = (ALE / "rules" / "logo.toml").read_text("utf-8")
    head, tail = text.split("[[params.versions]]", 1)
    tail = tail[tail.index("[messages.logo-found]") :]
    head = re.sub(r'(?m)^mark = ".*"$', f'mark = "{versions[0][1].as_posix()}"', head)
    tables = "".join(
        f'[[params.versions]]\nname = "{name}"\nfile = "{path.as_posix()}"\n'
        f'background = "{background}"\n{extra}\n'
        for name, path, background in versions
    )
    return make_profile(folder, {"logo": head + tables + tail}, name=folder.name)


@functools.cache
def engine(profile: str) -> Engine:
    return Engine(load_profile(profile), Settings(profile=profile, lang="en", select=["L"]))


def check(path: Path, profile: Path) -> list:
    return engine(str(profile)).check_file(str(path)).findings


def names(findings: list) -> list[str]:
    return sorted(f.name for f in findings)


def found(findings: list) -> dict:
    return next(f for f in findings if f.name == "logo-found").measured


# ---- artwork ------------------------------------------------------------------------------


def padded(source: Path, target: Path, pad: float = PAD) -> Path:
    """The artwork with a transparent margin of `pad` of its size on every side."""
    rgba = np.asarray(Image.open(source).convert("RGBA"))
    h, w = rgba.shape[:2]
    py, px = round(pad * h), round(pad * w)
    Image.fromarray(np.pad(rgba, ((py, py), (px, px), (0, 0)))).save(target)
    return target


def transparent_field(source: Path, target: Path) -> Path:
    """The colour artwork with its silver (white) left transparent."""
    rgba = np.asarray(Image.open(source).convert("RGBA")).copy()
    whiteness = rgba[..., :3].min(axis=2).astype(np.float32)
    alpha = np.clip((255 - whiteness) * 6, 0, 255)  # white goes, its antialiased edge fades
    rgba[..., 3] = np.minimum(rgba[..., 3], alpha).astype(np.uint8)
    Image.fromarray(rgba).save(target)
    return target


def two_line_logotype(source: Path, target: Path, ink: str = "#1A1A1A") -> Path:
    """A stacked logotype: the vapen above "Ale" and "kommun" on two lines, centred."""
    vapen = Image.open(source).convert("RGBA")
    w, h = vapen.size
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", round(0.2 * h))
    lines = ["Ale", "kommun"]
    widths = [font.getlength(line) for line in lines]
    width = round(max(w, *widths) + 0.1 * w)
    height = round(h * 1.62)
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    canvas.paste(vapen, ((width - w) // 2, 0), vapen)
    draw = ImageDraw.Draw(canvas)
    for i, (line, lw) in enumerate(zip(lines, widths, strict=True)):
        draw.text(((width - lw) / 2, h * (1.08 + 0.26 * i)), line, font=font, fill=ink)
    canvas.save(target)
    return target


def drawing(folder: Path, tone: str, **kw) -> Path:
    name = "-".join([tone, *(f"{k}-{v}" for k, v in kw.items())]).replace("#", "")
    return render_svg(vapen_svg(tone, **kw), folder / f"drawn-{name}.png", 600)


# ---- documents ----------------------------------------------------------------------------


def pdf_with(path: Path, png: Path, shield_mm: float, shield_share: float = 1.0, **kw) -> Path:
    """An A4 page with `png` placed so that its shield (`shield_share` of the image's width)
    is `shield_mm` wide; `gap`: text that far (in shield widths) right of the shield;
    `background`: the page's colour; `stretch` the image's width."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    if kw.get("background"):
        page.draw_rect(page.rect, color=None, fill=kw["background"])
    page.insert_text((72, 500), "Välkommen till Ale kommun", fontsize=12)
    with Image.open(png) as image:
        aspect = image.height / image.width
    width = shield_mm * MM / shield_share
    rect = pymupdf.Rect(72, 72, 72 + width * kw.get("stretch", 1.0), 72 + width * aspect)
    page.insert_image(rect, filename=str(png), keep_proportion=False)
    if kw.get("gap") is not None:
        margin = width * (1 - shield_share) / 2
        x = rect.x1 - margin + kw["gap"] * shield_mm * MM
        top = rect.y0 + rect.height * (1 - shield_share) / 2
        page.insert_text((x, top + 20), "Nyheter", fontsize=12)
    document.save(path)
    return path


def vector_pdf(path: Path, svg: str, background: tuple | None = None) -> Path:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    if background:
        page.draw_rect(page.rect, color=None, fill=background)
    source = pymupdf.open("pdf", pymupdf.open("svg", svg.encode()).convert_to_pdf())
    page.show_pdf_page(pymupdf.Rect(72, 72, 172, 192), source, 0)
    page.insert_text((72, 400), "Välkommen", fontsize=12)
    document.save(path)
    return path


def picture_with(path: Path, png: Path, height: int, on: str = "page", **kw) -> Path:
    """A picture (a scanned page, a photo) with `png` pasted `height` px tall at (150, 120)."""
    import cv2

    if on == "photo":
        rng = np.random.default_rng(11)
        noise = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
        photo = cv2.GaussianBlur(cv2.resize(noise, (800, 640)), (0, 0), 6)
        canvas = Image.fromarray(cv2.normalize(photo, None, 110, 235, cv2.NORM_MINMAX))
    else:
        canvas = Image.new("RGB", (800, 640), kw.get("paper", (246, 244, 238)))
        ImageDraw.Draw(canvas).rectangle((150, 500, 650, 512), fill=(40, 40, 40))  # text
    art = Image.open(png).convert("RGBA")
    width = round(art.width * height / art.height * kw.get("stretch", 1.0))
    art = art.resize((width, height), Image.Resampling.LANCZOS)
    canvas.paste(art, (150, 120), art)
    canvas.save(path)
    return path


# ---- (a) a 12 % transparent margin: measured from the shield, not the file ------------------


@pytest.fixture(scope="module")
def margin(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("margin")
    art = folder / "art"
    art.mkdir()
    files = [
        (name, padded(PNG / f"{name}-print.png", art / f"{name}.png"), background)
        for name, background in (
            ("vapen-colour", "light"),
            ("vapen-black", "light"),
            ("vapen-white", "dark"),
            ("logotype-horizontal-colour", "light"),
        )
    ]
    profile = ale_copy(folder / "profile", files)
    colour = files[0][1]
    share = 1 / (1 + 2 * PAD)  # of the padded image's width, the shield's
    docs = {
        "ok": pdf_with(folder / "ok.pdf", colour, 25, share),
        "small": pdf_with(folder / "small.pdf", colour, 16, share),
        "roomy": pdf_with(folder / "roomy.pdf", colour, 25, share, gap=0.32),
        "crowded": pdf_with(folder / "crowded.pdf", colour, 25, share, gap=0.1),
        "stretched": pdf_with(folder / "stretched.pdf", colour, 25, share, stretch=1.1),
        "picture": picture_with(folder / "picture.png", colour, 200),
    }
    return {"profile": profile, "docs": docs, "share": share}


def test_a_padded_mark_is_measured_by_its_shield(margin):
    findings = check(margin["docs"]["ok"], margin["profile"])
    assert names(findings) == ["logo-found"]
    assert found(findings)["shield_width_mm"] == pytest.approx(25, rel=0.03)
    assert found(findings)["aspect_ratio"] == pytest.approx(1, abs=0.01)


def test_a_padded_mark_too_small_is_too_small(margin):
    findings = check(margin["docs"]["small"], margin["profile"])
    assert "logo-too-small" in names(findings)
    assert found(findings)["shield_width_mm"] == pytest.approx(16, rel=0.03)


def test_clear_space_is_measured_from_the_drawing_not_the_margin(margin):
    assert names(check(margin["docs"]["roomy"], margin["profile"])) == ["logo-found"]
    assert "logo-clear-space" in names(check(margin["docs"]["crowded"], margin["profile"]))


def test_a_padded_mark_stretched_is_distorted(margin):
    findings = check(margin["docs"]["stretched"], margin["profile"])
    assert "logo-distorted" in names(findings)
    assert "logo-not-original" not in names(findings)


def test_a_padded_mark_in_a_picture_is_measured_by_its_shield(margin):
    findings = check(margin["docs"]["picture"], margin["profile"])
    assert "logo-found" in names(findings)
    # the padded file is 200 px tall: the shield is 200 / (1 + 2 · PAD) px tall
    true_width = 200 / (1 + 2 * PAD) * 200 / 240
    assert found(findings)["shield_width_px"] == pytest.approx(true_width, rel=0.03)


def test_the_model_trims_every_version_to_its_ink(margin):
    profile = load_profile(str(margin["profile"]))
    (rule,) = [r for r in profile.rules if r.type == "logo"]
    versions = tuple(
        (v["name"], str((rule.folder / v["file"]).resolve()), v["background"])
        for v in rule.params["versions"]
    )
    model = artwork.load_model(str((rule.folder / rule.params["mark"]).resolve()), versions)
    for version in model.versions:
        assert version.mark[0] == pytest.approx(0, abs=1.5)
        assert version.mark[3] == pytest.approx(version.rgba.shape[0], abs=1.5)
    assert model.versions[0].aspect == pytest.approx(200 / 240, rel=0.01)
    assert [v.kind for v in model.versions] == ["vapen"] * 3 + ["horizontal"]


# ---- (b) the silver field left transparent --------------------------------------------------


def _transparent_svg(tone: str = "colour") -> str:
    """The bundled vapen's SVG with its silver not painted (our own artwork, edited)."""
    text = (ART / f"vapen-{tone}.svg").read_text("utf-8")
    return re.sub(r'fill="#(?:FFFFFF|ffffff|fff|FFF)"', 'fill="none"', text)


@pytest.fixture(scope="module")
def clear_field(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("clear-field")
    art = folder / "art"
    art.mkdir()
    colour = transparent_field(PNG / "vapen-colour-print.png", art / "vapen-colour.png")
    files = [
        ("vapen-colour", colour, "light"),
        ("vapen-black", PNG / "vapen-black-print.png", "light"),
        ("vapen-white", PNG / "vapen-white-print.png", "dark"),
    ]
    profile = ale_copy(folder / "profile", files)
    grey = (0.93, 0.92, 0.9)
    docs = {
        "vector": vector_pdf(folder / "vector.pdf", _transparent_svg(), background=grey),
        "placed": pdf_with(folder / "placed.pdf", colour, 25, background=grey),
        "page": picture_with(folder / "page.png", colour, 160),
        "page-small": picture_with(folder / "page-small.png", colour, 70),
        "photo": picture_with(folder / "photo.png", colour, 180, on="photo"),
        "none": picture_with(folder / "none.png", _empty(art / "empty.png"), 160),
    }
    return {"profile": profile, "docs": docs}


def _empty(path: Path) -> Path:
    Image.new("RGBA", (10, 12)).save(path)
    return path


@pytest.mark.parametrize("doc", ["vector", "placed", "page", "page-small", "photo"])
def test_a_transparent_field_is_found(clear_field, doc):
    findings = check(clear_field["docs"][doc], clear_field["profile"])
    assert "logo-found" in names(findings), names(findings)
    assert found(findings)["version"] == "vapen-colour"
    for wrong in ("logo-not-original", "logo-recoloured", "logo-cropped", "logo-distorted"):
        assert wrong not in names(findings)
    if doc == "vector":  # 100 pt wide, rendered at 100 dpi
        assert found(findings)["shield_width_px"] == pytest.approx(100 * 100 / 72, rel=0.03)


def test_no_mark_is_no_mark_with_a_transparent_field(clear_field):
    assert names(check(clear_field["docs"]["none"], clear_field["profile"])) == []


def test_a_transparent_field_is_the_field(clear_field):
    profile = load_profile(str(clear_field["profile"]))
    (rule,) = [r for r in profile.rules if r.type == "logo"]
    mark = str((rule.folder / rule.params["mark"]).resolve())
    model = artwork.load_model(mark, ((("vapen-colour", mark, "light")),))
    charges, field_name = model.charges_and_field()
    assert field_name == "#FFFFFF" and len(charges) == 2
    assert model.versions[0].colours[field_name] is None  # transparent: what is behind shows


# ---- (c) a one-colour version leaving a metal charge blank ----------------------------------


@pytest.fixture(scope="module")
def metal(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("metal")
    gold = "#E0B020"
    files = [
        ("vapen-colour", drawing(folder, "colour", leaf=gold), "light"),
        ("vapen-black", drawing(folder, "black", blank_leaf=True), "light"),
        ("vapen-white", drawing(folder, "white", blank_leaf=True), "dark"),
    ]
    profile = ale_copy(folder / "profile", files)
    black = files[1][1]
    docs = {
        "pdf": pdf_with(folder / "black.pdf", black, 25),
        "page": picture_with(folder / "black.png", black, 160),
        "colour": picture_with(folder / "colour.png", files[0][1], 160),
        "other": picture_with(folder / "bundled.png", PNG / "vapen-black-print.png", 160),
    }
    return {"profile": profile, "docs": docs}


@pytest.mark.parametrize("doc", ["pdf", "page", "colour"])
def test_a_blank_metal_charge_is_still_the_mark(metal, doc):
    findings = check(metal["docs"][doc], metal["profile"])
    assert names(findings) == ["logo-found"]  # not cropped where the leaf is blank either
    expected = "vapen-colour" if doc == "colour" else "vapen-black"
    assert found(findings)["version"] == expected


def test_another_drawing_of_the_arms_is_not_this_profiles_artwork(metal):
    findings = check(metal["docs"]["other"], metal["profile"])
    assert "logo-distorted" not in names(findings)
    assert names(findings) in (["logo-found", "logo-not-original"], [])


# ---- (d) a stacked logotype with the name on two lines ---------------------------------------


@pytest.fixture(scope="module")
def two_lines(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("two-lines")
    art = folder / "art"
    art.mkdir()
    stacked = two_line_logotype(PNG / "vapen-colour-print.png", art / "stacked-colour.png")
    files = [
        ("vapen-colour", PNG / "vapen-colour-print.png", "light"),
        ("vapen-black", PNG / "vapen-black-print.png", "light"),
        ("vapen-white", PNG / "vapen-white-print.png", "dark"),
        ("logotype-stacked-colour", stacked, "light"),
    ]
    profile = ale_copy(folder / "profile", files)
    docs = {
        "placed": pdf_with(folder / "stacked.pdf", stacked, 25, 355 / Image.open(stacked).width),
        "page": picture_with(folder / "stacked.png", stacked, 300),
        "bare": picture_with(folder / "bare.png", PNG / "vapen-colour-print.png", 180),
    }
    return {"profile": profile, "docs": docs, "stacked": stacked}


def test_a_two_line_logotype_is_located_and_stacked(two_lines):
    stacked = str(two_lines["stacked"])
    vapen = str(PNG / "vapen-colour-print.png")
    model = artwork.load_model(vapen, (("s", stacked, "light"),))
    (version,) = model.versions
    assert version.kind == "stacked"
    x0, y0, _, y1 = _ink(two_lines["stacked"])
    width = Image.open(two_lines["stacked"]).width
    scale = version.rgba.shape[0] / (y1 - y0)  # trimmed to the ink, then scaled
    x, y, w, h = version.mark
    assert x == pytest.approx(((width - 355) / 2 - x0) * scale, abs=2)
    assert (y, w) == (pytest.approx(0, abs=2), pytest.approx(355 * scale, rel=0.02))
    assert h < 0.7 * version.rgba.shape[0]  # the old search began at 70 % of the height


def _ink(path: Path) -> tuple[int, int, int, int]:
    alpha = np.asarray(Image.open(path).convert("RGBA"))[..., 3] > 0
    rows, columns = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
    return columns[0], rows[0], columns[-1] + 1, rows[-1] + 1


def test_the_profiles_shield_and_layout_replace_the_guesses(two_lines):
    stacked = two_lines["stacked"]
    vapen = str(PNG / "vapen-colour-print.png")
    width = Image.open(stacked).width
    shield = ((width - 355) / 2, 0.0, 355.0, 426.0)
    given = (("s", str(stacked), "light", "horizontal", "colour", shield),)
    (version,) = artwork.load_model(vapen, given).versions
    assert version.kind == "horizontal"  # as the profile says, though it is not
    x0, y0, _, y1 = _ink(stacked)
    scale = version.rgba.shape[0] / (y1 - y0)
    x, y, w, h = shield
    expected = ((x - x0) * scale, (y - y0) * scale, w * scale, h * scale)
    assert version.mark == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("doc", ["placed", "page"])
def test_a_two_line_logotype_is_found_as_stacked(two_lines, doc):
    findings = check(two_lines["docs"][doc], two_lines["profile"])
    assert names(findings) == ["logo-found"]
    assert found(findings)["layout"] == "stacked"
    assert found(findings)["version"] == "logotype-stacked-colour"


def test_the_bare_vapen_is_not_a_logotype(two_lines):
    findings = check(two_lines["docs"]["bare"], two_lines["profile"])
    assert found(findings)["layout"] == "vapen"


# ---- (e) the bundled profile on an independent drawing: logo-not-original --------------------


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("foreign")
    colour, black = drawing(folder, "colour"), drawing(folder, "black")
    white = drawing(folder, "white")
    ours = PNG / "vapen-colour-print.png"
    docs = {
        "pdf": pdf_with(folder / "pdf.pdf", colour, 30),
        "pdf-black": pdf_with(folder / "pdf-black.pdf", black, 30),
        "page": picture_with(folder / "page.png", colour, 200),
        "photo": picture_with(folder / "photo.png", colour, 160, on="photo"),
        "white": picture_with(folder / "white.png", white, 160, paper=(20, 40, 90)),
        "ours-pdf": pdf_with(folder / "ours.pdf", ours, 30),
        "ours-page": picture_with(folder / "ours.png", ours, 200),
        "ours-stretched": picture_with(folder / "ours-stretched.png", ours, 200, stretch=1.12),
        "ours-pdf-stretched": pdf_with(folder / "ours-stretched.pdf", ours, 30, stretch=1.12),
    }
    return {"docs": docs}


@pytest.mark.parametrize("doc", ["pdf", "pdf-black", "page", "photo", "white"])
def test_an_independent_drawing_is_not_original(foreign, doc):
    findings = check(foreign["docs"][doc], ALE)
    assert "logo-not-original" in names(findings), names(findings)
    for chance in ("logo-distorted", "logo-recoloured", "logo-clear-space"):
        assert chance not in names(findings)
    finding = next(f for f in findings if f.name == "logo-not-original")
    assert finding.measured["nearest"].startswith("vapen-")
    assert finding.measured["value"] < finding.measured["limit"]
    assert finding.message.startswith("The vapen is not the original artwork: it is drawn")


@pytest.mark.parametrize("doc", ["ours-pdf", "ours-page"])
def test_the_bundled_artwork_is_original(foreign, doc):
    assert names(check(foreign["docs"][doc], ALE)) == ["logo-found"]


@pytest.mark.parametrize("doc", ["ours-stretched", "ours-pdf-stretched"])
def test_a_stretched_copy_is_distorted_not_redrawn(foreign, doc):
    assert names(check(foreign["docs"][doc], ALE)) == ["logo-distorted", "logo-found"]
