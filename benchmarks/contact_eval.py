"""Evaluate the `contact` rule: does it see a named contact where a person would?

Renders each labelled snippet of contact_snippets.py as a PDF, a Word document (body, table or
footer in turn) and a PNG image (read through OCR), runs `profilecheck check --format json
--select K` on each folder, and scores "has a named contact" (no contact-missing or
contact-unchecked finding) against the label: precision and recall per form and overall.
As a baseline it scores the same question answered by "the text holds a phone number or an
e-mail address", which shows what the name logic adds.

    /work/venv/bin/python benchmarks/contact_eval.py [--keep DIR] [--forms pdf,docx,image]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contact_snippets import snippets

PROFILECHECK = [sys.executable, "-m", "profilecheck"]


def write_pdf(text: str, path: Path) -> None:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    page.insert_textbox(pymupdf.Rect(60, 60, 540, 780), text, fontsize=11, fontname="helv")
    document.save(path)


def write_docx(text: str, path: Path, index: int) -> None:
    import docx

    document = docx.Document()
    lines = text.split("\n")
    place = index % 3
    if place == 0:
        for line in lines:
            document.add_paragraph(line)
    elif place == 1:
        document.add_paragraph("Information från Ale kommun")
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    else:
        document.add_paragraph("Information från Ale kommun")
        footer = document.sections[0].footer
        footer.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            footer.add_paragraph(line)
    document.save(path)


def write_png(text: str, path: Path) -> None:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=300)
    page.insert_textbox(pymupdf.Rect(30, 30, 565, 290), text, fontsize=12, fontname="helv")
    pixmap = page.get_pixmap(dpi=200)
    pixmap.set_dpi(200, 200)
    pixmap.save(path)


WRITERS = {
    "pdf": lambda text, folder, i: write_pdf(text, folder / f"s{i:03}.pdf"),
    "docx": lambda text, folder, i: write_docx(text, folder / f"s{i:03}.docx", i),
    "image": lambda text, folder, i: write_png(text, folder / f"s{i:03}.png"),
}


def eval_profile(folder: Path) -> Path:
    """Ale's profile, with images required to name a contact too (Ale's own file exempts them)."""
    profile = folder / "eval-profile"
    (profile / "rules").mkdir(parents=True, exist_ok=True)
    (profile / "profile.toml").write_text('name = "ale-eval"\nextends = "ale"\n')
    (profile / "rules" / "contact.toml").write_text(
        '[params]\nrequired-in = ["pdf", "docx", "image"]\n'
    )
    return profile


def run_check(folder: Path) -> dict[int, bool]:
    out = folder / "result.json"
    command = [*PROFILECHECK, "check", "--isolated", "--format", "json", "--select", "K"]
    command += ["--profile", str(eval_profile(folder.parent))]
    command += ["--exit-zero", "-o", str(out), str(folder)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    verdicts = {}
    for entry in json.loads(out.read_text())["files"]:
        index = int(Path(entry["path"]).stem[1:])
        names = {f["name"] for f in entry["findings"]}
        has_contact = entry["status"] == "checked" and not (
            names & {"contact-missing", "contact-unchecked"}
        )
        verdicts[index] = has_contact
    return verdicts


def score(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    true_pos = sum(1 for label, got in pairs if label and got)
    false_pos = sum(1 for label, got in pairs if not label and got)
    false_neg = sum(1 for label, got in pairs if label and not got)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return precision, recall, false_pos, false_neg


def baseline(text: str) -> bool:
    from profilecheck.analyses.phones import find_phones
    from profilecheck.checks.contact.emails import find_emails

    return bool(find_phones(text) or find_emails(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--forms", default="pdf,docx,image")
    parser.add_argument("--show-errors", action="store_true")
    options = parser.parse_args()
    labelled = snippets()
    positives = sum(label for label, _ in labelled)
    print(f"{len(labelled)} snippets: {positives} with a named contact, "
          f"{len(labelled) - positives} without")  # fmt: skip
    root = options.keep or Path(tempfile.mkdtemp(prefix="contact-eval-"))
    overall: list[tuple[bool, bool]] = []
    for form in options.forms.split(","):
        folder = root / form
        folder.mkdir(parents=True, exist_ok=True)
        for index, (_, text) in enumerate(labelled):
            WRITERS[form](text, folder, index)
        started = time.perf_counter()
        verdicts = run_check(folder)
        seconds = time.perf_counter() - started
        pairs = [(label, verdicts.get(i, False)) for i, (label, _) in enumerate(labelled)]
        overall += pairs
        precision, recall, fp, fn = score(pairs)
        print(f"{form:6} precision {precision:.3f} recall {recall:.3f} "
              f"(false positives {fp}, false negatives {fn}; {seconds:.1f} s)")  # fmt: skip
        if options.show_errors:
            for i, (label, text) in enumerate(labelled):
                if label != verdicts.get(i, False):
                    print(f"   {'FN' if label else 'FP'} s{i:03}: {text!r}")
    precision, recall, fp, fn = score(overall)
    print(f"all    precision {precision:.3f} recall {recall:.3f} (fp {fp}, fn {fn})")
    base = score([(label, baseline(text)) for label, text in labelled])
    print(f"baseline 'has a phone or e-mail': precision {base[0]:.3f} recall {base[1]:.3f}")
    print(f"files in {root}")


if __name__ == "__main__":
    main()
