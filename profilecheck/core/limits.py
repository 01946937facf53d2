"""Resource limits that keep hostile input from costing more than one file's worth.

Every limit is here, by name, and a finding that says a limit was hit names it (see `hit`).
Two kinds:

- what a document may hold (`Limits`): pages, pixels, zip members, XML elements, drawing
  operations and text per PDF page, Word runs. Readers bound their memory by these by design:
  a large image is decoded reduced, a page over its budget is not read, and the file gets a
  `resource-limit` finding (F004) that names the limit, or a warning where nothing was lost
  but resolution.
- what one file's check may cost (`ProcessLimits`): time and memory, enforced from outside by
  the worker process that checks it (`batch/workers.py`, used by `check` and `scan` alike).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_pages: int = 2000  # PDF pages (slides) read; the rest of a longer file is left out (F004)
    # Images: refused beyond this before any decoding (a decompression bomb) ...
    max_image_pixels: int = 180_000_000
    max_image_side: int = 65_535  # ... or wider or taller than this (JPEG's own maximum)
    # ... and decoded reduced (JPEG by DCT scaling, PDF images by MuPDF's subsampling, others
    # box-averaged right after decoding) to at most this many pixels, with a warning.
    max_decoded_pixels: int = 25_000_000
    max_zip_uncompressed: int = 1024 * MB
    max_zip_ratio: float = 200.0  # uncompressed / compressed, per member above 1 MB
    max_zip_members: int = 20_000
    max_xml_part: int = 256 * MB
    max_xml_elements: int = 3_000_000  # per XML part, counted before parsing (~100 bytes each)
    max_word_runs: int = 200_000  # runs read from a Word file (a 2,000-page document has fewer)
    # A PDF page's content streams, forms included as often as they are drawn: painting
    # operations (paths, text, images, shadings), bytes of shown text, decoded bytes per stream.
    # Over the first, a page's vector graphics are not read; over the second, its text; over
    # any, it is not rendered.
    max_page_operations: int = 100_000
    max_page_text_bytes: int = 200_000  # a dense page shows about 5,000 characters
    max_content_stream: int = 64 * MB
    max_colour_stream: int = 8 * MB  # content parsed in Python for declared colours ...
    max_colour_operators: int = 300_000  # ... beyond either, colours are read as sRGB
    max_warnings: int = 50  # library warnings kept per file; some files emit gigabytes
    # LibreOffice converting a .doc, .rtf, .odt, .ppt or .odp (readers/convert/): one at a time
    # per worker, in its own process group, killed with the whole group past this many seconds
    # (or past `conversion_share` of the per-file --timeout, if that comes first, so that the
    # worker itself stops it and says why), with at most this much address space per process
    # (or the per-file --max-memory, if lower), and refused if its output is larger than this.
    conversion_timeout: float = 60.0
    conversion_share: float = 0.8
    conversion_memory_mb: int = 2048
    max_converted_bytes: int = 512 * MB


DEFAULT_LIMITS = Limits()

# PDF fonts by object (readers/pdf/fonts.py): how deep Form XObjects, annotation appearances and
# Type 3 glyph procedures are followed, and how many operators of one file are read to learn
# which fonts draw text; beyond the last, fonts not yet seen drawing are "not known" (judged by
# name, as a rule that cannot tell).
MAX_FONT_NESTING = 8
MAX_FONT_OPERATORS = 2_000_000
MAX_TYPE3_GLYPHS = 256  # glyph procedures of one Type 3 font searched for fonts they use


def hit(name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """How a message names a limit: "the limit max_page_operations = 100,000"."""
    if name not in {f.name for f in fields(Limits)}:
        raise KeyError(name)
    value = getattr(limits, name)
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return f"the limit {name} = {shown}"


# The time and memory a worker process allows one file, set in the worker (batch/workers.py)
# so that messages made inside it can name them. Zero: none (a check in-process).
PROCESS = {"timeout": 0.0, "max_memory_mb": 0}


def memory_message(what: str = "") -> str:
    """The message for a MemoryError: names the memory limit per file where there is one."""
    text = f"{what} ran out of memory" if what else "ran out of memory"
    if PROCESS["max_memory_mb"]:
        text += f" at the memory limit of {PROCESS['max_memory_mb']:,} MB per file (--max-memory)"
    return text


def cap_address_space(memory_mb: int) -> None:
    """Limit this process's address space (and its children's) to `memory_mb`; 0: no limit.
    Where the platform has no RLIMIT_AS (Windows) only the time limit applies."""
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:
        return
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@dataclass(frozen=True)
class ProcessLimits:
    """Time and memory per worker process (what a document may hold is core.limits.Limits)."""

    timeout: float = 60.0  # seconds per file; 0 for none
    max_memory_mb: int = 1500  # address space per worker; 0 for none
    quiet: bool = True  # silence the libraries' stderr chatter in workers

    @property
    def time_limit(self) -> str:
        return f"the time limit of {self.timeout:g} s per file (--timeout)"

    @property
    def memory_limit(self) -> str:
        return f"the memory limit of {self.max_memory_mb:,} MB per file (--max-memory)"
