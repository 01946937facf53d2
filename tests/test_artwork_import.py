"""`profilecheck profile artwork`: official files in every form they arrive in are imported into
a profile, the rule file it writes is valid, and the detector finds the imported mark; files it
cannot use are refused with the reason; `profile validate` judges artwork that bypassed it.

All the artwork here is drawn by the test: a shield of its own (a red chevron and a blue
roundel on silver), not Ale's."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from profilecheck.cli.main import main as cli
from profilecheck.cli.profile_init import create_profile
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

ROOT = Path(__file__).resolve().parents[1]
ALE = ROOT / "rules" / "ale"
MM = 72 / 25.4

# A shield 200 × 240 units, flat top, sides down to 60 %, then curves to a point.
SHIELD = "M2,2 L198,2 L198,144 C198,200 150,218 100,238 C50,218 2,200 2,144 Z"
CHARGES = (
    '<path d="M20,200 L100,110 L180,200 L180,170 L100,80 L20,170 Z" fill="#C8102E"/>'
    '<circle cx="100" cy="50" r="28" fill="#1F4E9C"/>'
)


def shield_svg(
    size: str = 'width="200" height="240" viewBox="0 0 200 240"',
    field: str = "#FFFFFF",
    extra: str = "",
    body: str | None = None,
) -> str:
    inner = body or (
        f'<path d="{SHIELD}" fill="{field}"/>{CHARGES}'
        f'<path d="{SHIELD}" fill="none" stroke="#202020" stroke-width="4"/>'
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{extra}{inner}</svg>'


def render(svg: str, zoom: float = 2.0) -> np.ndarray:
    import pymupdf

    with pymupdf.open(stream=svg.encode(), filetype="svg") as document:
        pixmap = document[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True)
        shape = (pixmap.height, pixmap.width, 4)
        return np.frombuffer(pixmap.samples, np.uint8).reshape(shape).copy()


def profile_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kommun"
    create_profile(folder, str(ALE), "kommun")
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def imported(tmp_path: Path, files: list[Path], *options: str) -> tuple[Path, str]:
    folder = profile_dir(tmp_path)
    code, output = run("profile", "artwork", folder, *files, *options)
    assert code == 0, output
    code, validated = run("profile", "validate", folder)
    assert code == 0, validated
    return folder, output


def logo_found(folder: Path, png: Path, tmp_path: Path) -> list[str]:
    """The logo findings on an A4 page with `png` placed 35 mm wide."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    with Image.open(png) as image:
        aspect = image.height / image.width
    width = 35 * MM
    page.insert_image(pymupdf.Rect(72, 72, 72 + width, 72 + width * aspect), filename=str(png))
    page.insert_text((72, 500), "Välkommen till kommunen", fontsize=12)
    pdf = tmp_path / "page.pdf"
    document.save(pdf)
    settings = Settings(profile=str(folder), select=["L"])
    result = Engine(load_profile(str(folder)), settings).check_file(str(pdf))
    return [finding.name for finding in result.findings]


def rule_params(folder: Path) -> dict:
    import tomllib

    return tomllib.loads((folder / "rules" / "logo.toml").read_text())["params"]


def alpha(png: Path) -> np.ndarray:
    return np.asarray(Image.open(png).convert("RGBA"))[..., 3]


# --- each form official files arrive in ------------------------------------------------------


def test_an_svg_without_a_viewbox(tmp_path):
    source = tmp_path / "Vapen Färg.svg"
    source.write_text(
        shield_svg(size='width="100" height="120"')
        .replace("<path", '<g transform="scale(0.5)"><path', 1)
        .replace("</svg>", "</g></svg>")
    )
    folder, output = imported(tmp_path, [source], "--name", "Test kommun")
    assert "vapen, colour" in output
    params = rule_params(folder)
    assert params["name"] == "Test kommun"
    (version,) = params["versions"]
    assert version["name"] == "vapen-färg"
    assert (version["layout"], version["tone"], version["background"]) == (
        "vapen",
        "colour",
        "light",
    )
    assert params["mark"] == version["file"]
    x, y, w, _h = version["shield"]
    assert abs(w - 354.33) < 3 and x < 1 and y < 1
    assert (folder / "artwork" / "vapen-färg.svg").is_file()
    assert (folder / "artwork" / "png" / "vapen-färg-screen.png").is_file()
    png = folder / "artwork" / "png" / "vapen-färg-print.png"
    assert "logo-found" in logo_found(folder, png, tmp_path)


def test_an_svg_without_any_size_is_measured_by_its_drawing(tmp_path):
    source = tmp_path / "vapen.svg"
    source.write_text(
        shield_svg(size="", extra='<g transform="translate(300,400)">').replace(
            "</svg>", "</g></svg>"
        )
    )
    folder, output = imported(tmp_path, [source])
    (version,) = rule_params(folder)["versions"]
    assert abs(version["shield"][2] - 354.33) < 4, output


def test_an_svg_with_a_clip_path_is_clipped(tmp_path):
    clipped = (
        f'<defs><clipPath id="shield"><path d="{SHIELD}"/></clipPath></defs>'
        '<g clip-path="url(#shield)"><rect x="0" y="0" width="200" height="240" fill="#FFFFFF"/>'
        f"{CHARGES}</g>"
        f'<path d="{SHIELD}" fill="none" stroke="#202020" stroke-width="4"/>'
    )
    source = tmp_path / "vapen-colour.svg"
    source.write_text(shield_svg(body=clipped))
    folder, output = imported(tmp_path, [source])
    assert "(resvg)" in output
    mask = alpha(folder / "artwork" / "png" / "vapen-colour-print.png")
    h, w = mask.shape
    assert mask[h - 3, 3] == 0 and mask[h - 3, w - 4] == 0  # outside the shield: clipped away
    assert mask[h // 2, w // 2] == 255
    assert "logo-found" in logo_found(
        folder, folder / "artwork" / "png" / "vapen-colour-print.png", tmp_path
    )


def test_a_png_with_a_12_percent_transparent_margin_is_trimmed(tmp_path):
    rgba = render(shield_svg())
    h, w = rgba.shape[:2]
    pad_y, pad_x = round(h * 0.12), round(w * 0.12)
    padded = np.zeros((h + 2 * pad_y, w + 2 * pad_x, 4), np.uint8)
    padded[pad_y : pad_y + h, pad_x : pad_x + w] = rgba
    source = tmp_path / "vapen-colour.png"
    Image.fromarray(padded).save(source)
    folder, _ = imported(tmp_path, [source])
    png = folder / "artwork" / "png" / "vapen-colour-print.png"
    mask = alpha(png)
    assert mask[:, :2].any() and mask[:2].any() and mask[:, -2:].any() and mask[-2:].any()
    (version,) = rule_params(folder)["versions"]
    assert abs(version["shield"][2] - 354.33) < 2
    assert "logo-found" in logo_found(folder, png, tmp_path)


def test_a_jpeg_on_white_loses_the_paper_and_keeps_the_field(tmp_path):
    rgba = render(shield_svg(), zoom=2.5)
    flat = Image.new("RGB", (rgba.shape[1] + 80, rgba.shape[0] + 60), "white")
    flat.paste(Image.fromarray(rgba), (40, 30), Image.fromarray(rgba))
    source = tmp_path / "vapen-colour.jpg"
    flat.save(source, quality=90)
    folder, output = imported(tmp_path, [source])
    assert "paper made transparent" in output
    png = folder / "artwork" / "png" / "vapen-colour-print.png"
    picture = np.asarray(Image.open(png).convert("RGBA"))
    h, w = picture.shape[:2]
    assert picture[h - 3, 3, 3] == 0  # the paper beside the point of the shield
    field = picture[int(h * 0.1), int(w * 0.15)]
    assert field[3] == 255 and field[:3].min() > 235  # the silver field stays, opaque
    assert "logo-found" in logo_found(folder, png, tmp_path)


def test_a_transparent_field(tmp_path):
    source = tmp_path / "vapen-colour.svg"
    source.write_text(shield_svg(field="none"))
    folder, output = imported(tmp_path, [source])
    assert "field transparent" in output and "vapen, colour" in output
    (version,) = rule_params(folder)["versions"]
    assert version["tone"] == "colour"


def test_a_stacked_logotype_with_a_two_line_name(tmp_path):
    glyphs = "".join(
        f'<rect x="{10 + 34 * i}" y="{262 + 44 * line}" width="24" height="32" fill="#202020"/>'
        for line, count in ((0, 7), (1, 4))
        for i in range(count)
    )
    body = (
        f'<g transform="translate(30,0)"><path d="{SHIELD}" fill="#FFFFFF"/>{CHARGES}'
        f'<path d="{SHIELD}" fill="none" stroke="#202020" stroke-width="4"/></g>{glyphs}'
    )
    source = tmp_path / "logotyp-staende.svg"
    source.write_text(shield_svg(size='width="260" height="340" viewBox="0 0 260 340"', body=body))
    folder, output = imported(tmp_path, [source], "--name", "Test kommun")
    assert "stacked, colour" in output and "two-line name below it" in output
    params = rule_params(folder)
    (version,) = params["versions"]
    assert version["layout"] == "stacked"
    # no colour vapen given alone: the mark is the shield cut out of the logotype
    assert params["mark"] == "../artwork/png/logotyp-staende-shield-print.png"
    mark = folder / "artwork" / "png" / "logotyp-staende-shield-print.png"
    with Image.open(mark) as image:
        assert abs(image.width - 354.33) < 3 and image.height < 440
    assert "logo-found" in logo_found(folder, mark, tmp_path)


def test_a_pdf_on_an_a4_page(tmp_path):
    import pymupdf

    drawing = pymupdf.open(stream=shield_svg().encode(), filetype="svg")
    vector = pymupdf.open("pdf", drawing.convert_to_pdf())
    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    page.show_pdf_page(pymupdf.Rect(200, 300, 300, 420), vector, 0)
    source = tmp_path / "vapen-colour.pdf"
    document.save(source)
    assert not page.get_images()  # drawn as vector paths
    folder, output = imported(tmp_path, [source])
    assert "pdf (pymupdf)" in output
    png = folder / "artwork" / "png" / "vapen-colour-print.png"
    with Image.open(png) as image:
        assert image.width < 400  # trimmed to the drawing, not the page
    assert "logo-found" in logo_found(folder, png, tmp_path)


def test_a_pdf_holding_a_scan_on_white_loses_the_paper(tmp_path):
    import io

    import pymupdf

    rgba = render(shield_svg(), zoom=2.5)
    flat = Image.new("RGB", (rgba.shape[1] + 80, rgba.shape[0] + 60), "white")
    flat.paste(Image.fromarray(rgba), (40, 30), Image.fromarray(rgba))
    jpeg = io.BytesIO()
    flat.save(jpeg, "JPEG", quality=90)
    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    page.insert_image(pymupdf.Rect(100, 100, 250, 280), stream=jpeg.getvalue())
    source = tmp_path / "vapen-colour.pdf"
    document.save(source)
    folder, output = imported(tmp_path, [source])
    assert "#FFFFFF paper made transparent" in output
    picture = np.asarray(Image.open(folder / "artwork" / "png" / "vapen-colour-print.png"))
    h, w = picture.shape[:2]
    assert picture[h - 3, 3, 3] == 0 and picture[int(h * 0.1), int(w * 0.15), 3] == 255


def test_a_whole_set_and_the_layout_and_tone_read_from_each_file(tmp_path):
    black = shield_svg().replace("#C8102E", "#000000").replace("#1F4E9C", "#000000")
    white = black.replace("#000000", "#FFFFFF").replace("#202020", "#FFFFFF")
    files = []
    for name, text in (
        ("v-colour", shield_svg()),
        ("v-black", black.replace('fill="#FFFFFF"', 'fill="none"', 1)),
        ("v-white", white.replace('fill="#FFFFFF"', 'fill="none"', 1)),
    ):
        files.append(tmp_path / f"{name}.svg")
        files[-1].write_text(text)
    folder, _ = imported(tmp_path, files)
    versions = {v["name"]: (v["tone"], v["background"]) for v in rule_params(folder)["versions"]}
    assert versions == {
        "v-colour": ("colour", "light"),
        "v-black": ("black", "light"),
        "v-white": ("white", "dark"),
    }
    # a second run with an override keeps the others
    code, output = run("profile", "artwork", folder, files[1], "--tone", "white")
    assert code == 0, output
    versions = {v["name"]: v["tone"] for v in rule_params(folder)["versions"]}
    assert versions == {"v-colour": "colour", "v-black": "white", "v-white": "white"}


# --- refusals -------------------------------------------------------------------------------


def huge_png(path: Path, side: int = 100_000, height: int | None = None) -> Path:
    header = struct.pack(">IIBBBBB", side, height or side, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + ihdr + b"\x00\x00\x00\x00IEND\xaeB`\x82")
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.png", lambda p: Image.new("RGBA", (300, 300)).save(p), "no ink"),
        ("zero.png", lambda p: p.write_bytes(b""), "the file is empty"),
        ("garbage.png", lambda p: p.write_bytes(bytes(range(256)) * 40), "not a picture"),
        ("huge.png", huge_png, "too large to decode"),
        ("wide.png", lambda p: huge_png(p, 70_000, 2), "max_image_side"),
        ("bad.svg", lambda p: p.write_text("<svg><path d='M0 0'"), "not valid XML"),
        (
            "twins.svg",
            lambda p: p.write_text(
                shield_svg(
                    size='width="500" height="240"',
                    body=f'<path d="{SHIELD}" fill="#C8102E"/><g transform="translate(280,0)"><path d="{SHIELD}" fill="#1F4E9C"/></g>',
                )
            ),
            "several separate marks",
        ),
    ],
)
def test_files_it_cannot_use_are_refused_with_the_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    folder = profile_dir(tmp_path)
    code, output = run("profile", "artwork", folder, path)
    assert code == 1
    assert f"refused: {path}" in output and reason in output
    assert "Traceback" not in output
    assert not (folder / "rules" / "logo.toml").exists()


def test_a_refused_file_among_good_ones_exits_1_and_the_others_are_written(tmp_path):
    good = tmp_path / "vapen-colour.svg"
    good.write_text(shield_svg())
    bad = tmp_path / "bad\x1b[31m.png"
    bad.write_bytes(b"not a picture at all")
    folder = profile_dir(tmp_path)
    code, output = run("profile", "artwork", folder, good, bad)
    assert code == 1
    assert "\x1b" not in output and "bad\\x1b[31m.png" in output
    assert len(rule_params(folder)["versions"]) == 1


def test_not_a_profile_folder_is_a_usage_error(tmp_path):
    source = tmp_path / "v.svg"
    source.write_text(shield_svg())
    code, output = run("profile", "artwork", tmp_path / "nowhere", source)
    assert code == 2 and "not a profile folder" in output


# --- validate judges artwork that bypassed the import ----------------------------------------


def test_validate_warns_about_a_padded_file_put_in_by_hand(tmp_path):
    rgba = render(shield_svg())
    h, w = rgba.shape[:2]
    padded = np.zeros((h + 80, w + 80, 4), np.uint8)
    padded[40 : 40 + h, 40 : 40 + w] = rgba
    folder = profile_dir(tmp_path)
    (folder / "art").mkdir()
    Image.fromarray(padded).save(folder / "art" / "padded.png")
    pale = rgba.copy()
    pale[..., :3] = np.where(pale[..., :3] < 250, 235, pale[..., :3])  # charges near the field
    Image.fromarray(pale).save(folder / "art" / "pale.png")
    (folder / "rules" / "logo.toml").write_text(
        'type = "logo"\n[params]\nmark = "../art/padded.png"\n'
        '[[params.versions]]\nname = "padded"\nfile = "../art/padded.png"\n'
        '[[params.versions]]\nname = "again"\nfile = "../art/padded.png"\n'
        '[[params.versions]]\nname = "pale"\nfile = "../art/pale.png"\n'
    )
    code, output = run("profile", "validate", folder)
    assert code == 0, output
    assert "valid, 0 error(s)" in output
    warnings = [line for line in output.splitlines() if line.startswith("warning:")]
    text = "\n".join(warnings)
    assert "padded: 8% of the file is empty margin (left 40, top 40, right 40, bottom 40" in text
    assert "padded and again are nearly the same picture" in text
    assert "pale: the charges" in text and "grey levels from the field" in text
    assert "note:" in output and "shield 4" in output


def test_validate_warns_about_a_small_shield(tmp_path):
    folder = profile_dir(tmp_path)
    (folder / "art").mkdir()
    Image.fromarray(render(shield_svg(), zoom=0.4)).save(folder / "art" / "small.png")
    (folder / "rules" / "logo.toml").write_text(
        'type = "logo"\n[params]\nmark = "../art/small.png"\n'
        '[[params.versions]]\nname = "small"\nfile = "../art/small.png"\ntone = "white"\n'
    )
    code, output = run("profile", "validate", folder)
    assert code == 0, output
    assert "small: the shield is only 80 px wide" in output
    assert "tone = 'white', but the file looks colour" in output


def test_the_bundled_artwork_regenerates_byte_for_byte(tmp_path):
    import shutil

    copy = tmp_path / "ale"
    shutil.copytree(ALE, copy)
    code, output = run("profile", "artwork", copy, *sorted((copy / "artwork").glob("*.svg")))
    assert code == 0, output
    for png in sorted((ALE / "artwork" / "png").glob("*.png")):
        assert (copy / "artwork" / "png" / png.name).read_bytes() == png.read_bytes(), png.name
    names = [v["name"] for v in rule_params(copy)["versions"]]
    assert names[:3] == ["vapen-colour", "vapen-black", "vapen-white"] and len(names) == 9
    # the rule file keeps every line, comments included, and gains what the import read
    before = (ALE / "rules" / "logo.toml").read_text().splitlines()
    after = (copy / "rules" / "logo.toml").read_text().splitlines()
    added = [line.split(" =")[0] for line in after if line not in before]
    assert [line for line in after if line.split(" =")[0] not in added] == before
    assert sorted(set(added)) == ["layout", "shield", "tone"]
    code, validated = run("profile", "validate", copy)
    assert code == 0 and "warning:" not in validated, validated
