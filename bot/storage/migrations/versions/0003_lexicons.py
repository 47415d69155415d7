"""The red-flag lexicon moves into the database, so every server reads the same one.

`carebot content import` stores content/redflags.yml here (a new row when it changed); the
detectors read the newest row, and the file only when there is none yet.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lexicons",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        sa.Column("text", sa.Text(), nullable=False), sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.Text(), nullable=False))
