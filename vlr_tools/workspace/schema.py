"""The workspace tables as SQLAlchemy Core sees them, and row conversion.

These definitions mirror ``vlr_tools/migrations/versions`` (the migrations
create the tables; the queries use these). ``tests/test_workspace.py``
checks that the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .model import HistoryEntry, Record, Review

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
TABLES = (
    "reviews",
    "records",
    "history",
    "imports",
    "cities",
    "blobs",
    "drafts",
    "team",
    "review_members",
)
#: Roles on a team workspace and on each of its reviews, from most to least rights.
TEAM_ROLES = ("lead", "reviewer", "observer")


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time zones, so the value is stored as naive UTC there.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("workspace timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSON = sa.JSON(none_as_null=True)
metadata = sa.MetaData()

reviews_table = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("city", sa.String(100), nullable=False),
    sa.Column("document", sa.String(200), nullable=False),
    sa.Column("version", sa.String(50), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("reviewers", JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("template", sa.String(100), nullable=False),
    sa.Column("settings", JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Index("ix_reviews_city", "city", "version"),
)

records_table = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("data", JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("review_id", "kind", "key", name="uq_records_item"),
)

history_table = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("old", JSON),
    sa.Column("new", JSON),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_history_item", "review_id", "kind", "key"),
)

imports_table = sa.Table(
    "imports",
    metadata,
    sa.Column("bundle_id", sa.String(64), primary_key=True),
    sa.Column("checksum", sa.String(64), nullable=False, unique=True),
    sa.Column("review_id", sa.String(64), nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("imported_at", UTCDateTime, nullable=False),
    sa.Column("imported_by", sa.String(200), nullable=False),
)

cities_table = sa.Table(
    "cities",
    metadata,
    sa.Column("slug", sa.String(100), primary_key=True),
    sa.Column("profile", JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
)

blobs_table = sa.Table(
    "blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

drafts_table = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("city", sa.String(100), sa.ForeignKey("cities.slug"), nullable=False),
    sa.Column("version", sa.String(50), nullable=False),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
    sa.Column("text_sha256", sa.String(64)),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("format", sa.String(20), nullable=False),
    sa.Column("lang", sa.String(10), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("received", sa.String(10)),
    sa.Column("info", JSON, nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False),
    sa.UniqueConstraint("city", "version", name="uq_drafts_city_version"),
)


team_table = sa.Table(
    "team",
    metadata,
    sa.Column("name", sa.String(63), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("display_name", sa.String(200)),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False),
)

review_members_table = sa.Table(
    "review_members",
    metadata,
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), primary_key=True),
    sa.Column("name", sa.String(63), sa.ForeignKey("team.name"), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False),
)


def review_from_row(row: Any) -> Review:
    """A Review from a ``reviews`` row."""
    return Review(
        id=row.id,
        city=row.city,
        document=row.document,
        version=row.version,
        title=row.title,
        reviewers=tuple(row.reviewers or ()),
        status=row.status,
        template=row.template,
        settings=dict(row.settings or {}),
        revision=row.revision,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def review_row(review: Review) -> dict[str, Any]:
    """The ``reviews`` row values of a Review."""
    return {
        "id": review.id,
        **review.fields(),
        "revision": review.revision,
        "created_at": review.created_at,
        "created_by": review.created_by,
        "updated_at": review.updated_at,
        "updated_by": review.updated_by,
    }


def record_from_row(row: Any) -> Record:
    """A Record from a ``records`` row."""
    return Record(
        review_id=row.review_id,
        kind=row.kind,
        key=row.key,
        data=row.data,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        deleted=bool(row.deleted),
    )


def history_from_row(row: Any) -> HistoryEntry:
    """A HistoryEntry from a ``history`` row."""
    return HistoryEntry(
        id=row.id,
        review_id=row.review_id,
        kind=row.kind,
        key=row.key,
        action=row.action,
        old=row.old,
        new=row.new,
        version=row.version,
        who=row.who,
        at=row.at,
    )
