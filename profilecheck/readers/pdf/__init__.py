"""The PDF reader (PyMuPDF): pages, text, fonts, images, vector paint, colours, tags."""
