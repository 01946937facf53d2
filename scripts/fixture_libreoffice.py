"""PDFs from a real producer: the compliant Word letter exported by LibreOffice as tagged PDF.

PyMuPDF writes no structure tree, so every other "compliant" PDF fixture is `pdf-untagged`. This
one is `fixtures/docx/letter-compliant.docx` exported by LibreOffice Writer with tags, the title
shown in the window and the document's language (sv-SE), and passes the whole Ale profile with
nothing above info. Its footer is set at 9 pt first: the Word letter's 7 pt footer is under the
profile's provisional 9 pt minimum for PDFs (text-too-small), as it is under the 11 pt minimum
for Word. Needs LibreOffice (`soffice`; Debian: libreoffice-writer-nogui, fonts-liberation);
without it the committed file is kept. LibreOffice stamps the export with the time, so the bytes
differ from one run to the next.

    python scripts/fixture_libreoffice.py OUT_DIR   # writes OUT_DIR/letter-compliant-libreoffice.pdf
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTER = ROOT / "fixtures" / "docx" / "letter-compliant.docx"
NAME = "letter-compliant-libreoffice.pdf"
FOOTER_PT = 9.0
_TRUE = '{"type":"boolean","value":"true"}'
TAGGED_PDF = (
    f'pdf:writer_pdf_Export:{{"UseTaggedPDF":{_TRUE},"DisplayPDFDocumentTitle":{_TRUE},'
    f'"ExportBookmarks":{_TRUE}}}'
)


def export_tagged(docx: Path, out_dir: Path, profile: Path) -> Path:
    """`docx` exported by LibreOffice as a tagged PDF into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", TAGGED_PDF, "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = out_dir / f"{docx.stem}.pdf"
    if not made.is_file():
        raise RuntimeError(f"LibreOffice made no PDF of {docx}")
    return made


def with_footer_at(docx: Path, out: Path, size: float = FOOTER_PT) -> Path:
    """A copy of `docx` whose footer text is `size` points."""
    from docx import Document
    from docx.shared import Pt

    document = Document(str(docx))
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(size)
    document.save(str(out))
    return out


def write(out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        source = with_footer_at(LETTER, folder / NAME.replace(".pdf", ".docx"))
        made = export_tagged(source, folder / "out", folder / "profile")
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copyfile(made, out_dir / NAME))


def make(out: Path, build: bool = True) -> list:
    from fixture_common import Fixture

    if build:
        if shutil.which("soffice"):
            write(out)
        else:
            print(f"LibreOffice is not installed: {NAME} is kept as it is", file=sys.stderr)
    if not (out / NAME).is_file():
        return []
    return [
        Fixture(
            f"pdf/{NAME}",
            "The compliant Word letter with its footer at 9 pt, exported by LibreOffice Writer "
            "as tagged PDF (structure tree, /Lang sv-SE, title shown, Liberation Sans embedded): "
            "what a passing PDF looks like. Nothing above info.",
            ["logo-found"],
            ["pdf-untagged", "text-too-small", "title-missing", "language-missing",
             "font-not-allowed", "font-not-embedded", "contact-missing", "contact-incomplete",
             "contact-outdated", "colour-off-palette", "logo-missing", "logo-distorted",
             "logo-too-small", "image-alt-missing", "text-contrast-low",
             "scanned-without-text"],
            exact=True,
        )
    ]  # fmt: skip


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fixtures" / "pdf"))
