"""Curated content: the article file format and the SQLite store nurses edit."""
