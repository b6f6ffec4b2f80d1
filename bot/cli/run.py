"""`policywatch run`: the main job, with Telegram when a token is set, else at the console."""

from __future__ import annotations

import argparse

from bot.app.roles import Role
from bot.app.settings import Settings


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        from bot.telegram.service import run_telegram

        return await run_telegram(settings, once=args.once, role=Role(args.role))
    from bot.console.service import run_console

    return await run_console(settings, once=args.once, role=Role(args.role))
