"""Peer agreement: the PDF facts profilecheck reads, file by file, against poppler and qpdf.

In one run over a folder (default ../shared/corpus/pdf, relative to the repository) this runs

- profilecheck, the command line end to end: one `check --format json --exit-zero --lang en`
  process over the folder; and profilecheck's PDF reader directly
  (`profilecheck.readers.pdf.reader.read_pdf` -> Document) for the facts the report does not
  carry;
- poppler-utils: `pdffonts`, `pdfinfo -f 1 -l N` (metadata and page sizes), and for the
  image-only pages `pdftotext` and `pdfimages -list`;
- qpdf: `--show-encryption`, `--show-npages`, and `--json` (trailer, then the catalogue) for
  /Lang, which pdfinfo does not print;

and prints an agreement table per fact, every disagreement by file, and each tool's time.

Where profilecheck's side of each fact comes from:

    opens              JSON report: the file's status is "checked" (peer: pdfinfo exits 0)
    encrypted          JSON report: status "encrypted"; else the reader's metadata.encrypted
                       (an owner-password-only file is opened and checked)
    pages              JSON report: the file's "pages"
    font names         reader: Document.fonts, (object, name without subset prefix) pairs
                       (by name alone if the reader gives no objects); peer: pdffonts
    fonts embedded     reader: Document.fonts, (object, name, embedded); Type 3 is embedded
    not embedded, T302 JSON report: the fonts named by T302 font-not-embedded findings
    tagged             reader: metadata.tagged (peer: pdfinfo "Tagged")
    title              reader: metadata.title (peer: pdfinfo "Title")
    language           reader: metadata.language (peer: the catalogue's /Lang, read by qpdf)
    image-only pages   JSON report: the pages of A506 scanned-without-text (peer: pages where
                       pdftotext finds no text and pdfimages' images, their size from their
                       resolution, cover at least half of the page that pdfinfo gives)

Files a side cannot read are "n/a" for that fact, counted but not compared. A difference
that `explain` recognises as one of the README's "Known differences" is counted as "known"
and printed with its reason; any other is printed as UNEXPLAINED. Timings are of this run
(the peers one process per file, one after another). pdffonts needs Debian's poppler-data for
CJK fonts (without it, it leaves them out). Run:

    python benchmarks/peer_agreement.py [FOLDER] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "pdf"
SUBSET = re.compile(r"^[A-Z]{6}\+")
RANGE = re.compile(r"(\d+)(?:–(\d+))?")
SCANNED = re.compile(r"Page\(s\) (.+?) are scanned")
NOT_EMBEDDED = re.compile(r"^Font (.+) is not embedded in the PDF")
TIMES: dict[str, float] = defaultdict(float)
TIMEOUT = 120


def run(tool: str, *args: str) -> subprocess.CompletedProcess | None:
    """`tool ARGS`, its time added to `tool`'s; None when it cannot be run or times out."""
    start = time.perf_counter()
    try:
        return subprocess.run([tool, *args], capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        TIMES[tool] += time.perf_counter() - start


def text(done: subprocess.CompletedProcess | None) -> str:
    if done is None:
        return ""
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return done.stdout.decode("latin-1")


def clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def base_name(name: str) -> str:
    return SUBSET.sub("", name.strip())


# -- profilecheck ------------------------------------------------------------------------------


def profilecheck_report(folder: Path) -> dict[str, dict]:
    """The JSON report's entry per file name: one CLI process over the folder."""
    start = time.perf_counter()
    command = ["check", "--format=json", "--exit-zero", "--lang=en", str(folder)]
    done = subprocess.run(
        [sys.executable, "-m", "profilecheck", *command],
        capture_output=True,
        text=True,
    )
    TIMES["profilecheck check (CLI)"] += time.perf_counter() - start
    if not done.stdout:
        sys.exit(f"profilecheck produced no report: {done.stderr[-2000:]}")
    return {Path(entry["path"]).name: entry for entry in json.loads(done.stdout)["files"]}


def reader_facts(path: Path) -> dict[str, Any]:
    """Facts from profilecheck's PDF reader (None where it refuses the file)."""
    from profilecheck.core.errors import ReadError
    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.core.model import Status
    from profilecheck.readers.pdf.reader import read_pdf

    start = time.perf_counter()
    try:
        with read_pdf(str(path), DEFAULT_LIMITS) as document:
            meta = document.metadata
            fonts = list(document.fonts)
            return {
                "encrypted": meta.encrypted,
                "fonts": [
                    {
                        "xref": getattr(font, "xref", 0),
                        "name": base_name(font.name),
                        "embedded": "Type3" in font.kind or bool(font.embedded),
                        "used": getattr(font, "used", None),
                    }
                    for font in fonts
                ],
                "tagged": bool(meta.tagged),
                "title": clean(meta.title),
                "language": clean(meta.language),
            }
    except ReadError as error:
        return {"encrypted": True if error.status is Status.ENCRYPTED else None}
    except Exception as error:  # a crash is a finding of this benchmark, not its end
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        TIMES["profilecheck reader (facts)"] += time.perf_counter() - start


def report_facts(entry: dict | None) -> dict[str, Any]:
    if entry is None:
        return {}
    findings = entry.get("findings", [])
    checked = entry.get("status") == "checked"
    scanned: set[int] = set()
    for finding in findings:
        if finding.get("code") == "A506" and (found := SCANNED.search(finding["message"])):
            for first, last in RANGE.findall(found.group(1)):
                scanned.update(range(int(first), int(last or first) + 1))
    not_embedded = {
        found.group(1)
        for finding in findings
        if finding.get("code") == "T302" and (found := NOT_EMBEDDED.search(finding["message"]))
    }
    return {
        "status": entry.get("status"),
        "codes": {finding.get("code") for finding in findings},
        "opens": checked,
        "pages": entry.get("pages") if checked else None,
        "scanned": scanned if checked else None,
        "t302": not_embedded if checked else None,
    }


# -- peers -------------------------------------------------------------------------------------


def pdffonts_rows(path: Path) -> list[dict[str, str]] | None:
    done = run("pdffonts", str(path))
    if done is None or done.returncode != 0:
        return None
    lines = text(done).splitlines()
    if len(lines) < 2:
        return None
    widths = [len(dashes) for dashes in lines[1].split(" ")]
    rows = []
    for line in lines[2:]:
        fields, at = [], 0
        for width in widths:
            fields.append(line[at : at + width].strip())
            at += width + 1
        name, kind, _, emb = fields[:4]
        number = fields[6].split()[0] if len(fields) > 6 and fields[6] else "0"
        rows.append(
            {
                "xref": int(number) if number.isdigit() else 0,
                "name": base_name(name),
                "embedded": kind.startswith("Type 3") or emb == "yes",
            }
        )
    return rows


def pdfinfo_facts(path: Path, pages: int) -> dict[str, Any]:
    done = run("pdfinfo", "-f", "1", "-l", str(max(pages, 1)), str(path))
    if done is None or done.returncode != 0:
        return {"opens": False}
    fields: dict[str, str] = {}
    sizes: dict[int, float] = {}
    for line in text(done).splitlines():
        key, _, value = line.partition(":")
        if found := re.match(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", line):
            sizes[int(found.group(1))] = float(found.group(2)) * float(found.group(3))
        elif key and not key.startswith("Page "):
            fields.setdefault(key.strip(), value.strip())
    return {
        "opens": True,
        "pages": int(fields["Pages"]) if fields.get("Pages", "").isdigit() else None,
        "tagged": fields.get("Tagged") == "yes",
        "title": clean(fields.get("Title")),
        "encrypted": fields.get("Encrypted", "no").startswith("yes"),
        "sizes": sizes,
    }


def qpdf_facts(path: Path) -> dict[str, Any]:
    shown = run("qpdf", "--show-encryption", str(path))
    out = text(shown) + (shown.stderr.decode("utf-8", "replace") if shown else "")
    if shown is None or not out.strip():
        encrypted = None
    else:
        encrypted = "invalid password" in out or bool(re.search(r"^R = \d", out, re.M))
        if shown.returncode not in (0, 3) and "invalid password" not in out:
            encrypted = None  # qpdf cannot read it
    npages = run("qpdf", "--show-npages", str(path))
    count = text(npages).strip()
    return {
        "encrypted": encrypted,
        "pages": int(count) if npages and npages.returncode in (0, 3) and count.isdigit() else None,
        "language": qpdf_language(path),
    }


def qpdf_language(path: Path) -> str | None:
    def objects(*selection: str) -> dict:
        done = run("qpdf", "--json=2", "--json-key=qpdf", *selection, str(path))
        if done is None or done.returncode not in (0, 3):
            return {}
        try:
            return json.loads(text(done))["qpdf"][1]
        except (ValueError, KeyError, IndexError):
            return {}

    trailer = objects("--json-object=trailer").get("trailer", {}).get("value", {})
    root = trailer.get("/Root")
    if not isinstance(root, str) or not root.endswith(" R"):
        return None
    number, generation = root.split()[:2]
    found = objects(f"--json-object={number},{generation}").get(f"obj:{root}", {})
    lang = found.get("value", {}).get("/Lang")
    if lang is None:
        return ""
    if isinstance(lang, str) and lang.startswith("u:"):
        return clean(lang[2:])
    if isinstance(lang, str) and lang.startswith("b:"):
        raw = bytes.fromhex(lang[2:])
        return clean(raw.decode("utf-16") if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else raw)
    return clean(lang)  # an indirect reference: shown as qpdf gives it


def image_only_pages(path: Path, sizes: dict[int, float]) -> set[int] | None:
    """Pages without text whose raster images (image or stencil) cover half the page."""
    extracted = run("pdftotext", "-q", str(path), "-")
    listed = run("pdfimages", "-list", str(path))
    if not sizes or extracted is None or listed is None or extracted.returncode != 0:
        return None
    if listed.returncode != 0:
        return None
    texts = text(extracted).split("\f")
    covered: dict[int, float] = defaultdict(float)
    for line in text(listed).splitlines()[2:]:
        fields = line.split()
        if len(fields) < 14 or fields[2] not in ("image", "stencil"):
            continue
        try:
            page, width, height = int(fields[0]), int(fields[3]), int(fields[4])
            x_ppi, y_ppi = float(fields[12]), float(fields[13])
        except ValueError:
            continue
        if x_ppi > 0 and y_ppi > 0:
            covered[page] += (width / x_ppi * 72) * (height / y_ppi * 72)
    return {
        number
        for number, area in sizes.items()
        if area > 0
        and covered.get(number, 0) / area >= 0.5
        and not (texts[number - 1].strip() if number <= len(texts) else "")
    }


# -- the table ---------------------------------------------------------------------------------

FACTS = [
    ("opens", "pdfinfo"),
    ("encrypted", "qpdf --show-encryption"),
    ("pages", "qpdf --show-npages"),
    ("pages", "pdfinfo"),
    ("font names", "pdffonts"),
    ("fonts embedded", "pdffonts"),
    ("not embedded, T302", "pdffonts"),
    ("tagged", "pdfinfo"),
    ("title", "pdfinfo"),
    ("language", "qpdf (/Lang)"),
    ("image-only pages", "pdftotext + pdfimages"),
]


def font_keys(fonts: list[dict], embedded: bool = False) -> set[tuple]:
    """Fonts by object (xref) and name, with whether they are embedded if `embedded`; by name
    alone (xref None) where the reader gives no objects."""
    return {
        (font["xref"] or None, font["name"]) + ((font["embedded"],) if embedded else ())
        for font in fonts
    }


def compare(path: Path, entry: dict | None) -> dict[tuple[str, str], tuple[Any, Any]]:
    """(fact, peer) -> (profilecheck's value, the peer's value); None on a side: n/a. The key
    ("context", "") holds what `explain` reads: profilecheck's facts and pdfinfo's."""
    ours = report_facts(entry)
    reader = reader_facts(path)
    qpdf = qpdf_facts(path)
    info = pdfinfo_facts(path, qpdf["pages"] or 1)
    if info.get("pages") and info["pages"] != qpdf["pages"]:
        info = pdfinfo_facts(path, info["pages"])
    fonts = pdffonts_rows(path)
    ours_fonts = reader.get("fonts")
    if ours_fonts is not None and fonts is not None and not all(f["xref"] for f in ours_fonts):
        fonts = [row | {"xref": 0} for row in fonts]  # the reader gives no objects: by name
    encrypted = True if ours.get("status") == "encrypted" else reader.get("encrypted")
    values: dict[tuple[str, str], tuple[Any, Any]] = {
        ("opens", "pdfinfo"): (ours.get("opens"), info["opens"]),
        ("encrypted", "qpdf --show-encryption"): (encrypted, qpdf["encrypted"]),
        ("pages", "qpdf --show-npages"): (ours.get("pages"), qpdf["pages"]),
        ("pages", "pdfinfo"): (ours.get("pages"), info.get("pages")),
        ("font names", "pdffonts"): (
            font_keys(ours_fonts) if ours_fonts is not None else None,
            font_keys(fonts) if fonts is not None else None,
        ),
        ("fonts embedded", "pdffonts"): (
            font_keys(ours_fonts, True) if ours_fonts is not None else None,
            font_keys(fonts, True) if fonts is not None else None,
        ),
        ("not embedded, T302", "pdffonts"): (
            ours.get("t302"),
            {row["name"] for row in fonts if not row["embedded"]} if fonts is not None else None,
        ),
        ("tagged", "pdfinfo"): (reader.get("tagged"), info.get("tagged")),
        ("title", "pdfinfo"): (reader.get("title"), info.get("title")),
        ("language", "qpdf (/Lang)"): (reader.get("language"), qpdf["language"]),
        ("image-only pages", "pdftotext + pdfimages"): (
            ours.get("scanned"),
            image_only_pages(path, info.get("sizes", {})) if info["opens"] else None,
        ),
    }
    if "error" in reader:
        values[("reader", "crash")] = (reader["error"], None)
    values[("context", "")] = (ours | {"reader": reader}, info)
    return values


# Known differences (README, Benchmarks): a test on one differing item and its reason.
UNUSED = "listed but draws no text (reader: used=False), e.g. only in AcroForm /DR"
NAMELESS = "a nameless font: pdffonts shows [none], profilecheck names it by kind and object"


def explain(fact: str, item: Any, side: str, context: tuple[dict, dict]) -> str | None:
    """The known difference `item` (on `side`: profilecheck, peer or both) is, or None."""
    ours, info = context
    fonts = ours["reader"].get("fonts") or []
    if fact in ("font names", "fonts embedded") and isinstance(item, tuple):
        xref, name = item[:2]
        if name == "[none]" or name.startswith("unnamed "):
            return NAMELESS
        same = [f for f in fonts if (f["xref"] or None) == xref and f["name"] == name]
        if side == "profilecheck" and same and all(f["used"] is False for f in same):
            return UNUSED
    if fact == "not embedded, T302" and side == "peer":
        same = [f for f in fonts if f["name"] == item and not f["embedded"]]
        if same and all(f["used"] is False for f in same):
            return "listed but draws no text (reader: used=False); T302 judges fonts in use"
        if same and all(f["used"] is None for f in same) and "F001" in ours.get("codes", ()):
            return "the content stream cannot be decoded: the page is F001 unreadable-file"
    if fact == "encrypted" and "F008" in ours.get("codes", ()):
        return "only an attachment is encrypted: the pages are read, F008 attachment-encrypted"
    if fact == "opens":
        if ours.get("status") == "unreadable" and info.get("opens"):
            return "a damaged file poppler repairs and MuPDF cannot: unreadable-file, not checked"
        if ours.get("opens") and not info.get("opens"):
            return "a damaged file MuPDF repairs and poppler cannot"
    return None


def differences(ours: Any, peer: Any) -> list[tuple[str, Any]]:
    """The differing items: (side, element) for sets, else one ("both", (ours, peer))."""
    if isinstance(ours, set) and isinstance(peer, set):
        return [("profilecheck", x) for x in sorted(ours - peer, key=str)] + [
            ("peer", x) for x in sorted(peer - ours, key=str)
        ]
    return [("both", (ours, peer))]


def described(side: str, item: Any) -> str:
    if side == "both":
        return f"profilecheck {item[0]!r}, peer {item[1]!r}"
    return f"only {side}: {item!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="compare the first N files only")
    options = parser.parse_args()
    files = sorted(p for p in options.folder.iterdir() if p.suffix.lower() == ".pdf")
    if options.limit:
        files = files[: options.limit]
    report = profilecheck_report(options.folder)
    tally: dict[tuple[str, str], list[int]] = {key: [0, 0, 0, 0] for key in FACTS}
    found: dict[tuple[str, str], list[tuple[str, str, str | None]]] = defaultdict(list)
    for path in files:
        values = compare(path, report.get(path.name))
        context = values.pop(("context", ""))
        for key, (ours, peer) in values.items():
            if key not in tally:  # the reader crashed
                found[key].append((path.name, str(ours), None))
            elif ours is None or peer is None:
                tally[key][3] += 1
            elif ours == peer:
                tally[key][0] += 1
            else:
                reasons = []
                for side, item in differences(ours, peer):
                    reasons.append(explain(key[0], item, side, context))
                    found[key].append((path.name, described(side, item), reasons[-1]))
                tally[key][1 if all(reasons) else 2] += 1
    print(f"{len(files)} PDFs in {options.folder}\n")
    print(f"{'fact':<20} {'peer':<24} {'agree':>6} {'known':>6} {'differ':>6} {'n/a':>5}")
    for (fact, peer), (agree, known, differ, missing) in tally.items():
        print(f"{fact:<20} {peer:<24} {agree:>6} {known:>6} {differ:>6} {missing:>5}")
    print("\nknown: files whose every difference is a known one (README, Benchmarks)")
    for (fact, peer), items in found.items():
        unexplained = sum(reason is None for *_, reason in items)
        print(f"\n{fact} vs {peer}: {len(items)} difference(s), {unexplained} unexplained")
        for name, detail, reason in items:
            print(f"  {name}: {detail}  [{'known: ' + reason if reason else 'UNEXPLAINED'}]")
    print("\ntimings (this run, seconds):")
    for tool, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {tool:<28} {seconds:8.2f}")


if __name__ == "__main__":
    main()
