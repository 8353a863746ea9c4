"""Embedding Atrium in a company portal."""
