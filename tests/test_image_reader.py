"""Images: pixel size, DPI, colour modes, orientation, and decompression bombs refused."""

from __future__ import annotations

import pytest
from PIL import Image

from profilecheck.core.errors import ReadError
from profilecheck.core.facts import ImageInfo
from profilecheck.core.limits import DEFAULT_LIMITS, Limits
from profilecheck.readers.image import read_image


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "CMYK", "L", "P", "I;16", "LAB"])
def test_colour_modes_decode_to_rgb(tmp_path, mode):
    path = tmp_path / "picture.tif"
    Image.new(mode, (30, 20)).save(path)
    with read_image(str(path), DEFAULT_LIMITS) as document:
        (image,) = document.pages[0].images
        assert image.colour_mode == mode
        assert image.pixels().mode in ("RGB", "RGBA")
        assert document.pages[0].render(72).shape == (20, 30, 3)


def test_physical_size_from_dpi(tmp_path):
    path = tmp_path / "print.png"
    Image.new("RGB", (300, 150), "white").save(path, dpi=(300, 300))
    with read_image(str(path), DEFAULT_LIMITS) as document:
        page = document.pages[0]
        assert page.width == pytest.approx(72, rel=1e-3) and page.height == pytest.approx(
            36, rel=1e-3
        )
        assert document.metadata.image.dpi_known is True


def test_image_facts_are_typed(tmp_path):
    path = tmp_path / "print.jpg"
    Image.new("RGB", (30, 20), "white").save(path, dpi=(300, 300))
    with read_image(str(path), DEFAULT_LIMITS) as document:
        info = document.metadata.image
        assert isinstance(info, ImageInfo)
        assert info.dpi == pytest.approx(300) and info.dpi_known and info.codec == "JPEG"
        assert info.frames == 1 and info.orientation == 1 and not info.icc_profile
        assert document.metadata.structure is None and document.metadata.word is None


def test_unknown_dpi_is_said_so(tmp_path):
    path = tmp_path / "screen.jpg"
    Image.new("RGB", (64, 32), "white").save(path)
    with read_image(str(path), DEFAULT_LIMITS) as document:
        assert document.metadata.image.dpi_known is False


def test_exif_orientation_swaps_axes(tmp_path):
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    Image.new("RGB", (40, 10), "white").save(path, exif=exif)
    with read_image(str(path), DEFAULT_LIMITS) as document:
        (image,) = document.pages[0].images
        assert (image.pixel_width, image.pixel_height) == (10, 40)
        assert image.pixels().size == (10, 40)


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (5000, 5000)).save(path)  # tiny file, 25 megapixels
    with pytest.raises(ReadError) as caught:
        read_image(str(path), Limits(max_image_pixels=10_000_000))
    assert caught.value.finding == "resource-limit"


def test_truncated_image_fails_when_decoded(tmp_path):
    whole = tmp_path / "whole.png"
    Image.effect_noise((200, 200), 50).convert("RGB").save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:400])
    with read_image(str(cut), DEFAULT_LIMITS) as document, pytest.raises(ReadError):
        document.pages[0].images[0].pixels()
