"""The bot's commands as functions of (caller, arguments) -> Reply, shared by every front end.

`user` holds everyone's commands, `admin` the admins' (audited, confirmed, undoable),
`preview` what a theme change would do, `replies` the front-end-neutral answer types, and
`html`/`views` the Telegram HTML (every feed-derived string escaped there). Knows nothing of
Telegram's objects or the console's terminal. May import matcher, store, watchers, bot.app,
bot.timeline.
"""
