"""Resource limits that keep hostile input from costing more than one file's worth."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_pages: int = 2000
    max_image_pixels: int = 180_000_000  # beyond this an image is a decompression bomb
    max_zip_uncompressed: int = 1024 * 1024 * 1024
    max_zip_ratio: float = 200.0  # uncompressed / compressed, per member above 1 MB
    max_zip_members: int = 20_000
    max_xml_part: int = 256 * 1024 * 1024
    max_warnings: int = 50  # library warnings kept per file; some files emit gigabytes


DEFAULT_LIMITS = Limits()
