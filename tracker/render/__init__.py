"""Rendering for people and programs: formats (table, CSV, JSON, JSONL), report files, plots."""
