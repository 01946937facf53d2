"""profilecheck: check PDFs, Word documents and images against a graphic profile."""

__version__ = "0.1.0"
