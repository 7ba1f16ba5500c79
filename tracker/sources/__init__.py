"""Readers: files, saved pages, JSON(L), stdin and their dates, into documents (the lowest layer above models)."""
