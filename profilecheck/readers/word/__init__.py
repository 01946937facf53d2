"""The Word reader (.docx, .docm, .dotx): OOXML parts into the document model."""
