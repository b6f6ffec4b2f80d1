"""The Telegram front end: the service (Application wiring), thin handlers, delivery, pacing.

The only package that imports `telegram`. Handlers turn updates into Callers and call
bot.chat; delivery sends the outbox within Telegram's limits. Decides nothing about what a
command answers.
"""
