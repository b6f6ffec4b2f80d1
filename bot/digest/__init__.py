"""Digests: when one is due (pure), what it says, and making the due ones (bot/digest/making.py)."""
