"""OCR with the `tesseract` binary, as a shared per-document analysis other rules can reuse.

`ocr_page(document, page)` reads a page that has no text layer (a scan, an image file);
`ocr_image(document, image)` reads one placed image. Both return text spans in page
coordinates (points), one span per recognised line, with `part=Part.IMAGE`, or None when
tesseract is not installed or failed. Results are kept in `document.analyses`.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from profilecheck.core.model import Box, Document, Page, Part, PlacedImage, TextSpan
from profilecheck.core.timing import timed

OCR_DPI = 300
MIN_OCR_WIDTH = 1600  # pixels: small images are scaled up so tesseract sees letters ~30 px tall
MAX_OCR_PIXELS = 12_000_000
MIN_CONFIDENCE = 30.0
MAX_TESSERACT_SIDE = 32767  # pixels: tesseract refuses larger pictures ("Image too large")


@dataclass
class OcrSettings:
    languages: str = "swe+eng"
    timeout: float = 60.0


@dataclass
class OcrResults:
    """What OCR produced for one document, keyed by page number or (page, image index)."""

    pages: dict[Any, list[TextSpan] | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@cache
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@cache
def installed_languages() -> frozenset[str]:
    import subprocess  # here: a Word file without pictures never needs it

    binary = tesseract_path()
    if binary is None:
        return frozenset()
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def available() -> bool:
    return tesseract_path() is not None and bool(installed_languages())


def languages(wanted: str) -> str:
    """`wanted` (swe+eng) limited to what is installed; eng or the first language otherwise."""
    have = installed_languages()
    chosen = [lang for lang in wanted.split("+") if lang in have]
    if chosen:
        return "+".join(chosen)
    return "eng" if "eng" in have else sorted(have)[0]


def _results(document: Document) -> OcrResults:
    return document.analysis("ocr", lambda _doc: OcrResults())


def ocr_page(document: Document, page: Page, settings: OcrSettings) -> list[TextSpan] | None:
    results = _results(document)
    if page.number not in results.pages:
        results.pages[page.number] = _read_page(page, settings, results)
    return results.pages[page.number]


def ocr_image(
    document: Document, image: PlacedImage, index: int, settings: OcrSettings
) -> list[TextSpan] | None:
    results = _results(document)
    key = (image.page, index)
    if key not in results.pages:
        results.pages[key] = _read_image(image, settings, results)
    return results.pages[key]


def _read_page(page: Page, settings: OcrSettings, results: OcrResults) -> list[TextSpan] | None:
    if not available() or not page.can_render or page.width <= 0:
        return None
    dpi = min(OCR_DPI, (MAX_OCR_PIXELS / max(page.width * page.height, 1.0)) ** 0.5 * 72)
    try:  # read once (results are kept): a page at 300 dpi (some 25 MB) is not kept
        pixels = page.render(dpi=dpi, keep=False)
    except Exception as error:
        results.failures.append(f"page {page.number}: could not be rendered ({error})")
        return None
    scale = 72 / dpi
    return _recognise(pixels, settings, results, page.number, Box(0, 0, 0, 0), scale, scale)


def _read_image(image: PlacedImage, settings: OcrSettings, results: OcrResults):
    if not available():
        return None
    if image.pixel_width < 50 or image.pixel_height < 20:
        return []  # an icon: too small to hold readable text
    try:
        pixels = image.pixels()
    except Exception as error:
        results.failures.append(f"image {image.name}: could not be decoded ({error})")
        return None
    decoded = pixels.size  # smaller than the image's own when decoded reduced (core.limits)
    factor = min(3.0, max(1.0, MIN_OCR_WIDTH / max(pixels.width, 1)))
    factor = min(factor, (MAX_OCR_PIXELS / max(pixels.width * pixels.height, 1)) ** 0.5)
    if abs(factor - 1.0) > 0.01:
        from PIL import Image

        size = (max(1, round(pixels.width * factor)), max(1, round(pixels.height * factor)))
        pixels = pixels.resize(size, Image.Resampling.LANCZOS)
    else:
        factor = 1.0
    sx = image.box.width / (decoded[0] * factor)
    sy = image.box.height / (decoded[1] * factor)
    return _recognise(pixels, settings, results, image.page, image.box, sx, sy)


def _grey(pixels: Any) -> Any:
    """The picture in 8-bit grey, as its PGM holds it (a PIL "L" image, transparency on white);
    None for a picture of one grey level (a blank page), where tesseract finds nothing."""
    from PIL import Image

    picture = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    if picture.mode not in ("RGB", "L"):
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A") if "A" in picture.mode else None)
        picture = background
    grey = picture.convert("L")
    low, high = grey.getextrema()
    if low == high and max(grey.size) <= MAX_TESSERACT_SIDE:  # larger: tesseract fails, as ever
        return None
    return grey


def _pgm(grey: Any) -> bytes:
    buffer = io.BytesIO()
    grey.save(buffer, format="PPM")
    return buffer.getvalue()


def _recognise(pixels, settings, results, page_number, origin, sx, sy):
    import subprocess

    from profilecheck.analyses import tesseract  # ctypes and libtesseract: only for OCR

    langs = languages(settings.languages)
    command = [tesseract_path(), "stdin", "stdout", "-l", langs, "tsv"]
    grey = _grey(pixels)
    if grey is None:  # one flat grey: tesseract's answer is no text, so it is not asked
        return []
    try:
        with timed("ocr", "tesseract"):
            # the command's answer from libtesseract in this process (models loaded once),
            # given the grey pixels themselves; None where the library cannot be used: then
            # the command itself, reading their PGM
            size = grey.size
            read = tesseract.recognise_grey(
                grey.tobytes(), *size, langs, settings.timeout, command[0]
            )
            if read is None:
                done = subprocess.run(
                    command,
                    input=_pgm(grey),
                    capture_output=True,
                    timeout=settings.timeout,
                    env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # threads: slower on small pages
                )
                said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                read = (done.returncode, done.stdout.decode("utf-8", "replace"), *said)
    except (subprocess.TimeoutExpired, tesseract.TimedOut):
        results.failures.append(f"page {page_number}: OCR took longer than {settings.timeout} s")
        return None
    except OSError as error:
        results.failures.append(f"page {page_number}: tesseract could not run ({error})")
        return None
    if read[0] != 0:
        detail = read[2] if len(read) > 2 else ""
        results.failures.append(f"page {page_number}: tesseract failed ({detail})")
        return None
    return _spans_from_tsv(read[1], page_number, origin, sx, sy)


def _spans_from_tsv(tsv: str, page_number: int, origin: Box, sx: float, sy: float):
    lines: dict[tuple[int, int, int], list[tuple[str, Box]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
            left, top, width, height = (int(v) for v in cells[6:10])
        except ValueError:
            continue
        if confidence < MIN_CONFIDENCE:
            continue
        box = Box(
            origin.x0 + left * sx,
            origin.y0 + top * sy,
            origin.x0 + (left + width) * sx,
            origin.y0 + (top + height) * sy,
        )
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        lines.setdefault(key, []).append((cells[11], box))
    spans = []
    for number, words in enumerate(lines.values()):
        box = words[0][1]
        for _, word_box in words[1:]:
            box = box.union(word_box)
        text = " ".join(word for word, _ in words)
        spans.append(
            TextSpan(
                text=text, font="", size=box.height, box=box, page=page_number,
                part=Part.IMAGE, line=number,
            )
        )  # fmt: skip
    return spans
