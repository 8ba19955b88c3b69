"""City profiles and draft files kept in the workspace.

A review of any city (a sample city or the next partner city) reads its
city's profile and its draft from here, never from the repository's sample
folders. The profile is a :class:`CityProfile`; each draft version received
from the city is a :class:`StoredDraft` whose bytes live in the workspace,
content-addressed by SHA-256, so nothing depends on the original path once
the file is added, and a PostgreSQL team sees the same bytes.

The :class:`CityStore` methods are part of :class:`~vlr_tools.workspace.Workspace`::

    ws.put_city(CityProfile(slug="baguio", name="Baguio City", country="Philippines"))
    ws.city("baguio").name                      # 'Baguio City'
    ws.draft_file("baguio", "v1").filename      # after vlr_tools.intake.add_draft
    ws.blob(sha256)                             # the stored bytes
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import CityError, CityProfileError, Problem, WorkspaceValueError
from .model import now
from .schema import blobs_table, cities_table, drafts_table

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")
#: Languages a draft may be declared in.
DRAFT_LANGS = ("en", "ja")


@dataclass(frozen=True)
class CityProfile:
    """What the workbench knows of a city: the facts memos and checks use.

    ``illustrative`` is True only for the workbench's sample cities (their
    drafts and data are made up for training); a real city never is.
    ``coastal`` and ``hlpf_year`` may be unknown (None): the checks that need
    them then say so instead of guessing.
    """

    slug: str
    name: str
    country: str = ""
    province: str = ""
    region: str = ""
    official_name: str = ""
    population: int | None = None
    population_year: int | None = None
    population_source: str = ""
    barangays: int | None = None
    coastal: bool | None = None
    languages: tuple[str, ...] = ()
    hlpf_year: int | None = None
    vlr_cycle: str = ""
    illustrative: bool = False
    illustrative_note: str = ""
    public_facts: tuple[str, ...] = ()
    #: Local vocabulary terms of the city (rows of a vocabulary CSV as mappings).
    local_terms: tuple[dict[str, Any], ...] = field(default=(), compare=False, repr=False)

    @property
    def place(self) -> str:
        """Province (or region) and country, for a memo cover: ``Laguna, Philippines``."""
        parts = [p for p in (self.province or self.region, self.country) if p]
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The profile as stored (JSON values)."""
        data = asdict(self)
        data["languages"] = list(self.languages)
        data["public_facts"] = list(self.public_facts)
        data["local_terms"] = [dict(t) for t in self.local_terms]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CityProfile:
        """A profile from its stored JSON (unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("languages", "public_facts"):
            values[name] = tuple(values.get(name) or ())
        values["local_terms"] = tuple(dict(t) for t in values.get("local_terms") or ())
        return cls(**values)


#: Profile fields ``vlr city set`` may change (everything but the slug).
PROFILE_FIELDS = tuple(f.name for f in fields(CityProfile) if f.name not in ("slug",))


def check_profile(profile: CityProfile) -> CityProfile:
    """Return ``profile`` cleaned (whitespace), or raise CityProfileError listing every problem."""
    problems: list[Problem] = []

    def bad(column: str, message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, column=column, value=value, allowed=allowed))

    slug = str(profile.slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > 100:
        bad(
            "slug",
            "is not a city slug",
            profile.slug,
            "lower-case letters and digits joined by hyphens, e.g. baguio or san-fernando",
        )
    name = " ".join(str(profile.name or "").split())
    if not name:
        bad("name", "is required (the city's name as the memo should print it)", profile.name)
    elif len(name) > 200:
        bad("name", "is too long", name[:40] + "…", "up to 200 characters")
    this_year = dt.date.today().year

    def whole(column: str, value: object, low: int, high: int) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            bad(column, "is not allowed", value, f"a whole number from {low} to {high}")

    whole("population", profile.population, 1, 100_000_000)
    whole("population_year", profile.population_year, 1900, this_year)
    whole("barangays", profile.barangays, 1, 10_000)
    whole("hlpf_year", profile.hlpf_year, 2016, 2035)
    if profile.population is not None and profile.population_year is None:
        bad("population_year", "is required with a population (the census or estimate year)")
    if profile.coastal not in (None, True, False):
        bad("coastal", "is not allowed", profile.coastal, "yes, no, or unknown")
    if profile.illustrative and not profile.illustrative_note.strip():
        bad("illustrative_note", "must say what is illustrative")
    texts = {
        f.name: " ".join(str(getattr(profile, f.name) or "").split())
        for f in fields(CityProfile)
        if f.type in ("str",)
    }
    for column, text in texts.items():
        if len(text) > 2000:
            bad(column, "is too long", text[:40] + "…", "up to 2000 characters")
    if problems:
        raise CityProfileError(f"city profile {slug or profile.slug!r} is not valid", problems)
    cleaned: dict[str, Any] = {k: v for k, v in texts.items() if k not in ("slug", "name")}
    return replace(
        profile,
        slug=slug,
        name=name,
        **cleaned,
        languages=tuple(" ".join(x.split()) for x in profile.languages if str(x).strip()),
        public_facts=tuple(x.strip() for x in profile.public_facts if str(x).strip()),
    )


@dataclass(frozen=True)
class StoredDraft:
    """One draft version of a city's VLR, as stored in the workspace.

    ``sha256`` names the file exactly as received (``vlr draft get`` writes
    those bytes back); ``text_sha256`` is set when pages were read by OCR
    and names the searchable copy the text was taken from. ``info`` is what
    the intake found: ``pages``, ``paragraphs``, ``headings``,
    ``no_text_pages`` and ``ocr_pages`` (page numbers) and ``warnings``.
    """

    city: str
    version: str
    sha256: str
    filename: str
    format: str
    lang: str
    title: str | None
    received: dt.date | None
    info: dict[str, Any]
    added_at: datetime
    added_by: str
    text_sha256: str | None = None

    @property
    def size(self) -> int:
        return int(self.info.get("size") or 0)

    @property
    def pages(self) -> int:
        return int(self.info.get("pages") or 0)

    @property
    def ocr_pages(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.info.get("ocr_pages") or ())

    @property
    def rendering(self) -> dict[str, Any] | None:
        """The PDF rendering kept with a DOCX draft: ``sha256``, ``pages``, ``tool`` (or None)."""
        found = self.info.get("rendering")
        return dict(found) if isinstance(found, dict) and found.get("sha256") else None

    @property
    def text_source(self) -> str:
        """The SHA-256 of the file the text is read from (the OCR'd copy, if any)."""
        return self.text_sha256 or self.sha256

    def to_json(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "version": self.version,
            "sha256": self.sha256,
            "text_sha256": self.text_sha256,
            "filename": self.filename,
            "format": self.format,
            "lang": self.lang,
            "title": self.title,
            "received": self.received.isoformat() if self.received else None,
            "info": self.info,
            "added_at": self.added_at.isoformat(),
            "added_by": self.added_by,
        }


def draft_from_row(row: Any) -> StoredDraft:
    """A StoredDraft from a ``drafts`` row (the store and the bundle import share it)."""
    return StoredDraft(
        city=row.city,
        version=row.version,
        sha256=row.sha256,
        text_sha256=row.text_sha256,
        filename=row.filename,
        format=row.format,
        lang=row.lang,
        title=row.title,
        received=dt.date.fromisoformat(row.received) if row.received else None,
        info=dict(row.info or {}),
        added_at=row.added_at,
        added_by=row.added_by,
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CityStore:
    """Workspace methods for city profiles, draft files and stored bytes."""

    _db: Any

    def _who(self, reviewer: str | None) -> str:  # pragma: no cover - provided by Workspace
        raise NotImplementedError

    # -- cities ------------------------------------------------------------------------

    def put_city(
        self, profile: CityProfile, *, replace_existing: bool = True, reviewer: str | None = None
    ) -> CityProfile:
        """Add ``profile``, or replace the stored profile of that slug; returns what was stored."""
        profile = check_profile(profile)
        who = self._who(reviewer)
        when = now()
        with self._db.write() as conn:
            row = conn.execute(
                sa.select(cities_table).where(cities_table.c.slug == profile.slug)
            ).first()
            if row is None:
                conn.execute(
                    cities_table.insert().values(
                        slug=profile.slug,
                        profile=profile.to_json(),
                        revision=1,
                        created_at=when,
                        created_by=who,
                        updated_at=when,
                        updated_by=who,
                    )
                )
            elif not replace_existing:
                raise WorkspaceValueError(
                    f"city {profile.slug!r} is already in the workspace; change it with "
                    f"`vlr city set {profile.slug} ...`"
                )
            elif dict(row.profile) != profile.to_json():
                conn.execute(
                    cities_table.update()
                    .where(cities_table.c.slug == profile.slug)
                    .values(
                        profile=profile.to_json(),
                        revision=row.revision + 1,
                        updated_at=when,
                        updated_by=who,
                    )
                )
        return profile

    def find_city(self, slug: str) -> CityProfile | None:
        """The stored profile of ``slug``, or None."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(cities_table.c.profile).where(cities_table.c.slug == slug)
            ).first()
        return None if row is None else CityProfile.from_json(row.profile)

    def city(self, slug: str) -> CityProfile:
        """The stored profile of ``slug``; raises CityError naming close slugs."""
        found = self.find_city(slug)
        if found is None:
            raise CityError(unknown_city_message(slug, [c.slug for c in self.cities()]))
        return found

    def cities(self) -> list[CityProfile]:
        """Every city in the workspace, by slug."""
        with self._db.read() as conn:
            rows = conn.execute(sa.select(cities_table.c.profile).order_by(cities_table.c.slug))
            return [CityProfile.from_json(r.profile) for r in rows]

    # -- bytes -------------------------------------------------------------------------

    def _store_blob(self, conn: Connection, data: bytes) -> str:
        digest = sha256_of(data)
        exists = conn.execute(
            sa.select(blobs_table.c.sha256).where(blobs_table.c.sha256 == digest)
        ).first()
        if exists is None:
            conn.execute(
                blobs_table.insert().values(
                    sha256=digest, size=len(data), content=data, created_at=now()
                )
            )
        return digest

    def blob(self, sha256: str) -> bytes:
        """The stored bytes with this SHA-256; raises WorkspaceValueError if there are none."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(blobs_table.c.content).where(blobs_table.c.sha256 == sha256)
            ).first()
        if row is None:
            raise WorkspaceValueError(f"no stored file with SHA-256 {sha256} in the workspace")
        return bytes(row.content)

    def has_blob(self, sha256: str) -> bool:
        with self._db.read() as conn:
            return (
                conn.execute(
                    sa.select(blobs_table.c.sha256).where(blobs_table.c.sha256 == sha256)
                ).first()
                is not None
            )

    # -- drafts ------------------------------------------------------------------------

    def put_draft(
        self,
        draft: StoredDraft,
        content: bytes,
        *,
        text_content: bytes | None = None,
        replace_existing: bool = False,
    ) -> tuple[StoredDraft, StoredDraft | None]:
        """Store a draft version and its bytes in one transaction.

        Returns ``(stored, replaced)``: ``replaced`` is the earlier draft of
        that version when ``replace_existing`` let a different file take its
        place. The same file added again changes nothing. A different file
        for a version that has one is refused unless ``replace_existing``.
        """
        if sha256_of(content) != draft.sha256:
            raise WorkspaceValueError("the draft's SHA-256 does not match its bytes")
        with self._db.write() as conn:
            if (
                conn.execute(
                    sa.select(cities_table.c.slug).where(cities_table.c.slug == draft.city)
                ).first()
                is None
            ):
                raise CityError(f"add the city {draft.city!r} first (vlr city add {draft.city})")
            row = conn.execute(
                sa.select(drafts_table).where(
                    drafts_table.c.city == draft.city, drafts_table.c.version == draft.version
                )
            ).first()
            old = draft_from_row(row) if row is not None else None
            if old is not None and old.sha256 == draft.sha256:
                return old, None
            if old is not None and not replace_existing:
                raise WorkspaceValueError(
                    f"{draft.city} draft {draft.version} is already stored as {old.filename} "
                    f"(added {old.added_at:%Y-%m-%d} by {old.added_by}); a different file was "
                    "given. Use another --version, or --replace to replace the stored file"
                )
            self._store_blob(conn, content)
            if text_content is not None:
                text_sha = self._store_blob(conn, text_content)
                draft = replace(draft, text_sha256=text_sha)
            values = {k: v for k, v in draft.to_json().items()}
            values["received"] = draft.received.isoformat() if draft.received else None
            values["added_at"] = draft.added_at
            if old is None:
                conn.execute(drafts_table.insert().values(**values))
            else:
                conn.execute(
                    drafts_table.update()
                    .where(
                        drafts_table.c.city == draft.city,
                        drafts_table.c.version == draft.version,
                    )
                    .values(**values)
                )
        return draft, old

    def put_rendering(
        self, city: str, version: str, content: bytes, *, pages: int, tool: str
    ) -> StoredDraft:
        """Keep a PDF rendering of a stored draft (a DOCX drawn by LibreOffice) with it.

        The bytes are stored like the draft's; the draft's ``info["rendering"]``
        records their SHA-256, page count and the tool that drew them.
        """
        with self._db.write() as conn:
            row = conn.execute(
                sa.select(drafts_table).where(
                    drafts_table.c.city == city, drafts_table.c.version == version
                )
            ).first()
            if row is None:
                raise CityError(f"no draft {version!r} of {city!r} is stored in the workspace")
            digest = self._store_blob(conn, content)
            info = dict(row.info or {})
            info["rendering"] = {"sha256": digest, "pages": pages, "tool": tool}
            conn.execute(
                drafts_table.update()
                .where(drafts_table.c.city == city, drafts_table.c.version == version)
                .values(info=info)
            )
        found = self.find_draft(city, version)
        assert found is not None
        return found

    def find_draft(self, city: str, version: str) -> StoredDraft | None:
        """The stored draft ``version`` of ``city``, or None."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(drafts_table).where(
                    drafts_table.c.city == city, drafts_table.c.version == version
                )
            ).first()
        return None if row is None else draft_from_row(row)

    def draft_file(self, city: str, version: str) -> StoredDraft:
        """The stored draft ``version`` of ``city``; raises CityError naming the stored versions."""
        found = self.find_draft(city, version)
        if found is None:
            have = [d.version for d in self.drafts(city)]
            raise CityError(
                f"no draft {version!r} of {city!r} is stored in the workspace; "
                + (
                    f"stored versions: {', '.join(have)}"
                    if have
                    else f"add it with `vlr draft add {city} FILE --version {version}`"
                )
            )
        return found

    def drafts(self, city: str | None = None) -> list[StoredDraft]:
        """The stored drafts (of ``city``), in the order they were added."""
        query = sa.select(drafts_table).order_by(drafts_table.c.added_at, drafts_table.c.id)
        if city is not None:
            query = query.where(drafts_table.c.city == city)
        with self._db.read() as conn:
            return [draft_from_row(r) for r in conn.execute(query)]


def unknown_city_message(slug: str, known: list[str]) -> str:
    """``no city 'bagiuo' in the workspace; did you mean baguio? ...`` with close slugs."""
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.6)
    text = f"no city {slug!r} in the workspace"
    if close:
        text += f"; did you mean {', '.join(close)}?"
    text += f". Cities here: {', '.join(known) if known else '(none)'}"
    text += f"; add it with `vlr city add {slug} --name NAME`"
    return text
