"""The first workspace schema: reviews, records, history, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Column types are spelled out here rather than imported from workspace.py:
# a migration must keep describing the schema as it was when it was written.
_JSON = sa.JSON(none_as_null=True)
_WHEN = sa.DateTime(timezone=True)
_NAME = sa.String(200)
_REVIEW_ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", _REVIEW_ID, primary_key=True),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("reviewers", _JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("template", sa.String(100), nullable=False),
        sa.Column("settings", _JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", _NAME, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("updated_by", _NAME, nullable=False),
    )
    op.create_index("ix_reviews_city", "reviews", ["city", "version"])

    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "review_id",
            _REVIEW_ID,
            sa.ForeignKey("reviews.id", name="fk_records_review"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean(name="ck_records_deleted"), nullable=False),
        sa.Column("updated_by", _NAME, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.UniqueConstraint("review_id", "kind", "key", name="uq_records_item"),
    )

    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "review_id",
            _REVIEW_ID,
            sa.ForeignKey("reviews.id", name="fk_history_review"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("old", _JSON, nullable=True),
        sa.Column("new", _JSON, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("who", _NAME, nullable=False),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_index("ix_history_item", "history", ["review_id", "kind", "key"])

    op.create_table(
        "imports",
        sa.Column("bundle_id", sa.String(64), primary_key=True),
        sa.Column("checksum", sa.String(64), nullable=False, unique=True),
        sa.Column("review_id", _REVIEW_ID, nullable=False),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("imported_at", _WHEN, nullable=False),
        sa.Column("imported_by", _NAME, nullable=False),
    )

    # History is append-only in the database itself, not just by convention:
    # a stray UPDATE or DELETE from any client fails.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION vlr_history_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'history is append-only: % refused', TG_OP;
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history "
            "FOR EACH ROW EXECUTE FUNCTION vlr_history_append_only()"
        )
        op.execute(
            "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history "
            "FOR EACH STATEMENT EXECUTE FUNCTION vlr_history_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER history_no_update BEFORE UPDATE ON history "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only: UPDATE refused'); END"
        )
        op.execute(
            "CREATE TRIGGER history_no_delete BEFORE DELETE ON history "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only: DELETE refused'); END"
        )


def downgrade() -> None:
    # Dropping the tables would drop reviewers' work; a downgrade is refused.
    raise RuntimeError("the first workspace schema cannot be downgraded")
