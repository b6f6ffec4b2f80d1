"""events.quote_lang: the language of the quote an event shows

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01

An event takes a later report's quote when that one is the speaker's own words and the kept
one a paraphrase. Across languages that swapped an English report's quote for an Arabic
outlet's headline, and the English timeline showed Arabic words as the speaker's (QA round
21). The quote's language is now kept: an English quote replaces one in another language, a
quote in another language never replaces an English one. NULL: stored before (compared as
before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("events", sa.Column("quote_lang", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("events", "quote_lang")
