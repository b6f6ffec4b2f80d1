"""Getting a feed's bytes: HTTP with conditional GET, deadlines, a size cap and an SSRF guard,
or a local file.

Imports nothing of ours. Does not parse, store or decide when to poll.
"""
