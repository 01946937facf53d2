"""The ground floor: the document model, results, the codes registry, errors and limits.

Imported by everything; imports nothing else of profilecheck."""
