"""Analyses of a document shared by several rule types: its text, OCR of its pixels, phone numbers."""
