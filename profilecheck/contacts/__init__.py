"""Helpers of the `contact` rule type: labels, person names, phone numbers, e-mail addresses,
the contact blocks built from them, and OCR of text that only exists as pixels."""
