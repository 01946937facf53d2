"""PowerPoint (.pptx, .potx, .ppsx, .pptm): `reader` (package, slides, notes, metadata),
`shapes` (shape trees into spans, pictures and paint), `styles` (effective text formatting)."""
