"""The poll cycle and its decisions: which feeds are due, fetch -> parse -> new items ->
match -> statements -> events -> outbox, the next poll time, worker processes, re-matching.

May import matcher, store, watchers.fetch, watchers.parse. Does not talk to Telegram.
"""
