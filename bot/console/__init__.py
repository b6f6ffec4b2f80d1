"""The console front end: alerts printed on a terminal, commands typed at a prompt.

Used when no Telegram token is set; the same bot.chat commands answer here as in Telegram.
"""
