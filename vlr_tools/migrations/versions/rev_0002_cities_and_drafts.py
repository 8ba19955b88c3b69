"""City profiles, stored draft files and their bytes.

A review of any city works on what the workspace holds, not on files in the
repository: the city's profile (``cities``), each draft version received from
the city (``drafts``, one row per city and version) and the files' bytes,
content-addressed by SHA-256 (``blobs``: the same file added twice is stored
once, and a PostgreSQL team sees the same bytes).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_JSON = sa.JSON(none_as_null=True)
_WHEN = sa.DateTime(timezone=True)
_NAME = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "cities",
        sa.Column("slug", sa.String(100), primary_key=True),
        sa.Column("profile", _JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", _NAME, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("updated_by", _NAME, nullable=False),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "city",
            sa.String(100),
            sa.ForeignKey("cities.slug", name="fk_drafts_city"),
            nullable=False,
        ),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column(
            "sha256",
            sa.String(64),
            sa.ForeignKey("blobs.sha256", name="fk_drafts_blob"),
            nullable=False,
        ),
        sa.Column("text_sha256", sa.String(64), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("received", sa.String(10), nullable=True),
        sa.Column("info", _JSON, nullable=False),
        sa.Column("added_at", _WHEN, nullable=False),
        sa.Column("added_by", _NAME, nullable=False),
        sa.UniqueConstraint("city", "version", name="uq_drafts_city_version"),
    )


def downgrade() -> None:
    raise RuntimeError("stored cities and drafts cannot be downgraded away")
