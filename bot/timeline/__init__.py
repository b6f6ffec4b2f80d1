"""The history of statements on a theme: the query people type, its formats, pages and chart.

Shared by `/timeline` and `/export` in chats and `policywatch timeline`, so the same words
select the same events everywhere. Reads through the store; sends nothing.
"""
