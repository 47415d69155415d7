"""The deployed-model record moves into the database, so every server reads the same one.

Until now it was `models/deployed.json`; a record found there is copied in, so a clinic's
deployed model keeps serving after the upgrade.

Revision ID: 0002
Revises: 0001
"""
import json

from alembic import op
import sqlalchemy as sa

from bot.settings import load_settings

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "deployed_models",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        sa.Column("model", sa.Text(), nullable=False), sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("deployed_at", sa.Text(), nullable=False), sa.Column("by", sa.Text()),
        sa.Column("figures", sa.Text()), sa.Column("labels", sa.Text()), sa.Column("model_id", sa.Text()),
        sa.Column("job", sa.Integer()))
    old = load_settings().models_dir / "deployed.json"
    if old.is_file():
        record = json.loads(old.read_text())
        op.bulk_insert(table, [{**record, "figures": json.dumps(record.get("figures")),
                                "labels": json.dumps(record.get("labels") or {})}])
