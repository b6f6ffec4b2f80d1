"""Turning a feed's bytes into entries: XML pre-checks, feed parsing, HTML to text, feed
discovery on web pages, OPML.

Imports nothing of ours. Does not fetch, score or store.
"""
