"""Money questions leave the unanswered inbox: the costs reply is their answer.

Versions before the costs reply logged them as unanswered; they are no longer logged (see
`UnansweredLog.add`), and the ones already there are deleted here once, so the inbox lists every
open question without a filter of its own.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Written out, not imported: this migration must delete the same rows whatever the code later
# calls its intents.
ANSWERED_ON_PURPOSE = ("ask_costs",)


def upgrade() -> None:
    unanswered = sa.table("unanswered", sa.column("intent", sa.Text()), sa.column("handled", sa.Text()))
    # Rows a nurse already handled stay: they record what she did with them.
    op.execute(sa.delete(unanswered).where(unanswered.c.intent.in_(ANSWERED_ON_PURPOSE), unanswered.c.handled.is_(None)))
