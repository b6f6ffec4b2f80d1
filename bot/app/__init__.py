"""The application's frame: settings, the clock, logging with token redaction, and the wiring.

`wiring` is the one place that builds the store, the poll cycle, the deliverer and the fetch
policy from settings; every front end and CLI verb gets them from there. Only this package reads
the environment (settings) and the clock (clock). Does not answer commands (bot/chat) or talk
to Telegram (bot/telegram). May import matcher, store, watchers.
"""
