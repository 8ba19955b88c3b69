"""Portable review bundles: one .zip file that carries a whole review.

A bundle travels between offices (by e-mail, USB stick, shared drive) and is
imported into another workspace. It holds:

- ``manifest.json``: format name and version, a random bundle id, who
  exported it and when, the review's id and labels, counts, and the SHA-256
  and size of each member;
- ``review.json``: the review itself;
- ``records.jsonl``: every item, one JSON object a line (deleted ones too,
  so version numbers keep counting after the move);
- ``history.jsonl``: every history row, oldest first;
- ``city.json``: the review's city profile, with who added and last changed
  it (``null`` when the exporting workspace had none);
- ``drafts.jsonl``: the stored draft of the review's city and version (one
  line, or none when no draft was stored), as :class:`StoredDraft` fields;
- ``files/<sha256>``: the bytes of each file a draft names (the file as
  received and, for OCR'd drafts, the searchable copy), named by their
  SHA-256.

So a bundle imported into an empty workspace on another machine gives the
same memo without the original files. Bundles of format version 1 (no city,
drafts or files) are still read.

Everything is verified before a workspace writes anything. The checksums
catch damage and edits made without updating the manifest; they are not a
signature, so exchange bundles over channels you trust.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import BundleError, CityProfileError, WorkspaceError, WorkspaceValueError
from .cities import VERSION_RE, CityProfile, StoredDraft, check_profile, sha256_of
from .model import (
    EDITABLE_REVIEW_FIELDS,
    HISTORY_ACTIONS,
    REVIEW_ID_RE,
    REVIEW_KIND,
    HistoryEntry,
    Record,
    Review,
    check_key,
    check_kind,
    check_review_field,
    dumps,
    iso,
    now,
)

BUNDLE_FORMAT = "vlr-review-bundle"
#: The bundle format this code writes (it reads this one and every earlier one).
BUNDLE_FORMAT_VERSION = 2
#: The fixed members of a bundle, besides ``manifest.json`` and the ``files/`` members.
BUNDLE_MEMBERS = ("review.json", "records.jsonl", "history.jsonl", "city.json", "drafts.jsonl")
#: The fixed members of each format version this code reads.
_MEMBERS_OF_VERSION = {1: BUNDLE_MEMBERS[:3], 2: BUNDLE_MEMBERS}
FILE_MEMBER_RE = re.compile(r"^files/([0-9a-f]{64})$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
#: A bundle member larger than this (uncompressed) is refused, not unpacked.
MAX_MEMBER_BYTES = 1 << 30


@dataclass(frozen=True)
class BundledCity:
    """The review's city profile as a bundle carries it, with who added and changed it."""

    profile: CityProfile
    revision: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Bundle:
    """A verified review bundle read from a file, ready to import.

    Use :func:`read_bundle` to look inside a bundle without importing it.
    ``history`` entries are numbered 1, 2, ... in bundle order. ``city`` is
    None, and ``drafts`` and ``files`` are empty, for a version-1 bundle or a
    review whose workspace had no city profile or stored draft. ``files``
    maps each SHA-256 a draft names to its (verified) bytes.
    """

    path: Path
    checksum: str
    manifest: dict[str, Any]
    review: Review
    records: tuple[Record, ...]
    history: tuple[HistoryEntry, ...]
    city: BundledCity | None = None
    drafts: tuple[StoredDraft, ...] = ()
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def bundle_id(self) -> str:
        """The random id given at export; a workspace imports each bundle once."""
        return str(self.manifest["bundle_id"])

    @property
    def format_version(self) -> int:
        """The bundle format version the file was written in."""
        return int(self.manifest["format_version"])


# -- writing -------------------------------------------------------------------


def review_to_json(review: Review) -> dict[str, Any]:
    """A review as written to ``review.json``."""
    return {
        "id": review.id,
        **review.fields(),
        "revision": review.revision,
        "created_at": iso(review.created_at),
        "created_by": review.created_by,
        "updated_at": iso(review.updated_at),
        "updated_by": review.updated_by,
    }


def record_to_json(rec: Record) -> dict[str, Any]:
    """A record as written to one line of ``records.jsonl``."""
    return {
        "kind": rec.kind,
        "key": rec.key,
        "data": rec.data,
        "version": rec.version,
        "deleted": rec.deleted,
        "updated_by": rec.updated_by,
        "updated_at": iso(rec.updated_at),
    }


def history_to_json(entry: HistoryEntry) -> dict[str, Any]:
    """A history entry as written to one line of ``history.jsonl``."""
    return {
        "kind": entry.kind,
        "key": entry.key,
        "action": entry.action,
        "old": entry.old,
        "new": entry.new,
        "version": entry.version,
        "who": entry.who,
        "at": iso(entry.at),
    }


def city_to_json(city: BundledCity | None) -> dict[str, Any] | None:
    """The city profile as written to ``city.json`` (None when there is none)."""
    if city is None:
        return None
    return {
        "slug": city.profile.slug,
        "profile": city.profile.to_json(),
        "revision": city.revision,
        "created_at": iso(city.created_at),
        "created_by": city.created_by,
        "updated_at": iso(city.updated_at),
        "updated_by": city.updated_by,
    }


def draft_to_json(draft: StoredDraft) -> dict[str, Any]:
    """A stored draft as written to one line of ``drafts.jsonl``."""
    return {**draft.to_json(), "added_at": iso(draft.added_at)}


def write_bundle(
    target: Path,
    review: Review,
    records: Sequence[Record],
    history: Sequence[HistoryEntry],
    *,
    created_by: str | None,
    schema_revision: str,
    overwrite: bool = False,
    city: BundledCity | None = None,
    drafts: Sequence[StoredDraft] = (),
    files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write one bundle file atomically; return its path.

    ``files`` holds the bytes of every SHA-256 the ``drafts`` name (the file
    and any OCR'd copy); a draft needs its ``city``.
    """
    if target.exists() and not overwrite:
        raise WorkspaceError(
            f"{target} already exists; choose another file name or allow overwriting "
            "(overwrite=True, or --force on the command line)"
        )
    files = dict(files or {})
    needed = sorted({s for d in drafts for s in (d.sha256, d.text_sha256) if s})
    missing = [s for s in needed if s not in files]
    if missing or (drafts and city is None):
        raise WorkspaceValueError(
            "a bundle's drafts need their city profile and the bytes of every file they name"
            + (f" (missing: {', '.join(missing)})" if missing else "")
        )
    members = {
        "review.json": json.dumps(review_to_json(review), ensure_ascii=False, indent=2) + "\n",
        "records.jsonl": "".join(dumps(record_to_json(r)) + "\n" for r in records),
        "history.jsonl": "".join(dumps(history_to_json(h)) + "\n" for h in history),
        "city.json": json.dumps(city_to_json(city), ensure_ascii=False, indent=2) + "\n",
        "drafts.jsonl": "".join(dumps(draft_to_json(d)) + "\n" for d in drafts),
    }
    blobs = {name: text.encode("utf-8") for name, text in members.items()}
    for sha in needed:
        if sha256_of(files[sha]) != sha:
            raise WorkspaceValueError(f"the stored file {sha} does not match its SHA-256")
        blobs[f"files/{sha}"] = files[sha]
    manifest = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "bundle_id": uuid.uuid4().hex,
        "created_at": iso(now()),
        "created_by": created_by,
        "generator": f"vlr-tools {_tool_version()}",
        "schema_revision": schema_revision,
        "review": {
            "id": review.id,
            "city": review.city,
            "document": review.document,
            "version": review.version,
            "title": review.title,
        },
        "counts": {
            "records": len(records),
            "history": len(history),
            "drafts": len(drafts),
            "files": len(needed),
        },
        "members": {
            name: {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}
            for name, blob in blobs.items()
        },
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written next to the target and then renamed: a crash never leaves a
        # half-written bundle under the final name.
        fd, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
                    archive.writestr("manifest.json", text)
                    for name, blob in blobs.items():
                        archive.writestr(name, blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(part)
            raise
    except OSError as exc:
        raise WorkspaceError(f"cannot write the bundle {target}: {exc.strerror or exc}") from exc
    return target


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vlr-tools")
    except PackageNotFoundError:
        return "unknown"


# -- reading -------------------------------------------------------------------


def read_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read and verify a review bundle without importing it.

    Checks, in order: the file is a complete zip; ``manifest.json`` is a VLR
    bundle manifest of a format version this code reads; the members are
    exactly those listed; each member's SHA-256 and size match the manifest,
    and each ``files/`` member's SHA-256 is its name; every line parses, with
    the fields and types expected; the drafts name exactly the files held;
    the counts match.
    Raises :class:`~vlr_tools.errors.BundleError` with one clear message
    otherwise.
    """
    return _Reader(Path(path).expanduser()).read()


class _Reader:
    """Checks every part of one bundle file; each problem raises BundleError."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, reason: str) -> BundleError:
        return BundleError(f"cannot import bundle {self.path}: {reason}. Nothing was changed.")

    def read(self) -> Bundle:
        if self.path.is_dir():
            raise self.fail("it is a folder, not a bundle file")
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise self.fail(f"cannot read the file ({exc.strerror or exc})") from exc
        checksum = hashlib.sha256(raw).hexdigest()
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise self.fail(
                "it is not a zip file or it is truncated (cut off during a download or "
                "copy); ask the sender for the file again"
            ) from None
        with archive:
            manifest, contents = self.verify(archive)
        review = self.parse_review(contents["review.json"], manifest)
        records = self.parse_records(contents["records.jsonl"], review.id)
        history = self.parse_history(contents["history.jsonl"], review.id)
        found = {"records": len(records), "history": len(history)}
        city: BundledCity | None = None
        drafts: list[StoredDraft] = []
        files: dict[str, bytes] = {}
        if manifest["format_version"] >= 2:
            city = self.parse_city(contents["city.json"], review)
            drafts = self.parse_drafts(contents["drafts.jsonl"], review, city)
            files = {
                name.removeprefix("files/"): data
                for name, data in contents.items()
                if FILE_MEMBER_RE.match(name)
            }
            self.match_files(drafts, files)
            found.update(drafts=len(drafts), files=len(files))
        counts = manifest.get("counts")
        if counts != found:
            raise self.fail(
                f"the manifest counts {counts!r} do not match the content "
                f"({', '.join(f'{n} {what}' for what, n in found.items())})"
            )
        return Bundle(
            self.path,
            checksum,
            manifest,
            review,
            tuple(records),
            tuple(history),
            city=city,
            drafts=tuple(drafts),
            files=files,
        )

    def verify(self, archive: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, bytes]]:
        """Check the manifest and every member's checksum; return both."""
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if "manifest.json" not in names:
            raise self.fail("it is not a VLR review bundle (no manifest.json inside)")
        if len(names) != len(set(names)):
            raise self.fail("it holds the same member twice")
        too_big = [i.filename for i in infos if i.file_size > MAX_MEMBER_BYTES]
        if too_big:
            raise self.fail(f"member {too_big[0]} is larger than 1 GiB")
        manifest = self.json_member(archive, "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
            raise self.fail(
                f"it is not a VLR review bundle (manifest format is not {BUNDLE_FORMAT!r})"
            )
        version = manifest.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.fail(f"the manifest format_version {version!r} is not a number")
        if version > BUNDLE_FORMAT_VERSION:
            raise self.fail(
                f"it has bundle format version {version}, newer than this vlr-tools "
                f"reads (version {BUNDLE_FORMAT_VERSION}); upgrade vlr-tools to import it"
            )
        fixed = _MEMBERS_OF_VERSION.get(version)
        if fixed is None:
            raise self.fail(
                f"bundle format version {version} is not supported; "
                f"allowed: {', '.join(str(v) for v in _MEMBERS_OF_VERSION)}"
            )
        bundle_id = manifest.get("bundle_id")
        if not isinstance(bundle_id, str) or not re.fullmatch(r"[0-9a-f]{32}", bundle_id):
            raise self.fail(f"the manifest bundle_id {bundle_id!r} is not a bundle id")
        members = manifest.get("members")
        if not isinstance(members, dict) or not set(fixed) <= set(members):
            raise self.fail(f"the manifest must list {', '.join(fixed)} with their checksums")
        # Version 1 has no files; from version 2 each draft file is a member of its own.
        unknown = sorted(
            m for m in set(members) - set(fixed) if version < 2 or not FILE_MEMBER_RE.match(m)
        )
        if unknown:
            raise self.fail(f"the manifest lists members a bundle cannot hold: {unknown[0]}")
        missing = [m for m in members if m not in names]
        if missing:
            raise self.fail(f"it is incomplete: {', '.join(missing)} missing")
        extra = sorted(set(names) - set(members) - {"manifest.json"})
        if extra:
            raise self.fail(f"it holds files the manifest does not list: {', '.join(extra)}")
        contents: dict[str, bytes] = {}
        for name, info in members.items():
            data = self.member(archive, name)
            digest = hashlib.sha256(data).hexdigest()
            if (
                not isinstance(info, dict)
                or digest != info.get("sha256")
                or len(data) != info.get("bytes")
            ):
                raise self.fail(
                    f"{name} does not match its checksum in the manifest: the bundle was "
                    "changed or damaged after it was exported"
                )
            if name.startswith("files/") and name != f"files/{digest}":
                raise self.fail(
                    f"{name}: its content does not match its name (SHA-256 {digest}): the "
                    "bundle was changed after it was exported"
                )
            contents[name] = data
        return manifest, contents

    def member(self, archive: zipfile.ZipFile, name: str) -> bytes:
        try:
            return archive.read(name)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            # CRC mismatches and broken compressed data land here.
            raise self.fail(f"{name} inside it is damaged ({exc})") from None

    def json_member(self, archive: zipfile.ZipFile, name: str) -> Any:
        try:
            return json.loads(self.member(archive, name).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self.fail(f"{name} is not valid JSON ({exc})") from None

    # -- fields --------------------------------------------------------------

    def field(
        self, obj: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str
    ) -> Any:
        if name not in obj:
            raise self.fail(f"{where}: field '{name}' is missing")
        value = obj[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{where}: field '{name}' has the wrong type ({value!r})")
        return value

    def count(self, obj: dict[str, Any], name: str, where: str) -> int:
        value: int = self.field(obj, name, int, where)
        if value < 1:
            raise self.fail(f"{where}: field '{name}' must be 1 or more, found {value}")
        return value

    def when(self, obj: dict[str, Any], name: str, where: str) -> datetime:
        text = self.field(obj, name, str, where)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(f"{where}: field '{name}' is not an ISO timestamp ({text!r})") from None
        if value.tzinfo is None:
            raise self.fail(f"{where}: field '{name}' has no time zone ({text!r})")
        return value.astimezone(UTC)

    def optional_dict(self, obj: dict[str, Any], name: str, where: str) -> dict[str, Any] | None:
        if name not in obj:
            raise self.fail(f"{where}: field '{name}' is missing")
        value = obj[name]
        if value is not None and not isinstance(value, dict):
            raise self.fail(f"{where}: field '{name}' must be an object or null")
        return value

    def lines(self, data: bytes, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail(f"{name} is not UTF-8 text") from None
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{name} line {number}"
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise self.fail(f"{where} is not valid JSON ({exc})") from None
            if not isinstance(obj, dict):
                raise self.fail(f"{where} is not a JSON object")
            yield where, obj

    # -- members -------------------------------------------------------------

    def parse_review(self, data: bytes, manifest: dict[str, Any]) -> Review:
        where = "review.json"
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self.fail(f"{where} is not valid JSON ({exc})") from None
        if not isinstance(obj, dict):
            raise self.fail(f"{where} is not a JSON object")
        review_id = self.field(obj, "id", str, where)
        if not REVIEW_ID_RE.match(review_id):
            raise self.fail(f"{where}: review id {review_id!r} is malformed")
        if (
            not isinstance(manifest.get("review"), dict)
            or manifest["review"].get("id") != review_id
        ):
            raise self.fail("the manifest and review.json name different reviews")
        try:
            values = {
                name: check_review_field(name, obj.get(name)) for name in EDITABLE_REVIEW_FIELDS
            }
        except WorkspaceValueError as exc:
            raise self.fail(f"{where}: {exc}") from None
        return Review(
            id=review_id,
            city=values["city"],
            document=values["document"],
            version=values["version"],
            title=values["title"],
            reviewers=tuple(values["reviewers"]),
            status=values["status"],
            template=values["template"],
            settings=values["settings"],
            revision=self.count(obj, "revision", where),
            created_at=self.when(obj, "created_at", where),
            created_by=self.field(obj, "created_by", str, where),
            updated_at=self.when(obj, "updated_at", where),
            updated_by=self.field(obj, "updated_by", str, where),
        )

    def parse_records(self, data: bytes, review_id: str) -> list[Record]:
        records: list[Record] = []
        seen: set[tuple[str, str]] = set()
        for where, obj in self.lines(data, "records.jsonl"):
            try:
                kind = check_kind(obj.get("kind"))
                key = check_key(obj.get("key"))
            except WorkspaceValueError as exc:
                raise self.fail(f"{where}: {exc}") from None
            if (kind, key) in seen:
                raise self.fail(f"{where}: {kind} {key!r} appears twice")
            seen.add((kind, key))
            records.append(
                Record(
                    review_id=review_id,
                    kind=kind,
                    key=key,
                    data=self.field(obj, "data", dict, where),
                    version=self.count(obj, "version", where),
                    updated_by=self.field(obj, "updated_by", str, where),
                    updated_at=self.when(obj, "updated_at", where),
                    deleted=self.field(obj, "deleted", bool, where),
                )
            )
        return records

    def parse_history(self, data: bytes, review_id: str) -> list[HistoryEntry]:
        history: list[HistoryEntry] = []
        for where, obj in self.lines(data, "history.jsonl"):
            kind = self.field(obj, "kind", str, where)
            key = self.field(obj, "key", str, where)
            action = self.field(obj, "action", str, where)
            try:
                if kind != REVIEW_KIND:
                    check_kind(kind)
                check_key(key)
            except WorkspaceValueError as exc:
                raise self.fail(f"{where}: {exc}") from None
            if action not in HISTORY_ACTIONS:
                raise self.fail(
                    f"{where}: action {action!r} is unknown; allowed: {', '.join(HISTORY_ACTIONS)}"
                )
            history.append(
                HistoryEntry(
                    id=len(history) + 1,
                    review_id=review_id,
                    kind=kind,
                    key=key,
                    action=action,
                    old=self.optional_dict(obj, "old", where),
                    new=self.optional_dict(obj, "new", where),
                    version=self.count(obj, "version", where),
                    who=self.field(obj, "who", str, where),
                    at=self.when(obj, "at", where),
                )
            )
        return history

    def parse_city(self, data: bytes, review: Review) -> BundledCity | None:
        where = "city.json"
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self.fail(f"{where} is not valid JSON ({exc})") from None
        if obj is None:
            return None
        if not isinstance(obj, dict):
            raise self.fail(f"{where} is not a JSON object")
        slug = self.field(obj, "slug", str, where)
        if slug != review.city:
            raise self.fail(f"{where} is the profile of city {slug!r}, not {review.city!r}")
        raw = self.field(obj, "profile", dict, where)
        if raw.get("slug") != slug:
            raise self.fail(f"{where}: the profile's slug {raw.get('slug')!r} is not {slug!r}")
        try:
            profile = check_profile(CityProfile.from_json(raw))
        except CityProfileError as exc:
            raise self.fail(f"{where}: {exc}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise self.fail(f"{where}: the profile is malformed ({exc})") from None
        return BundledCity(
            profile=profile,
            revision=self.count(obj, "revision", where),
            created_at=self.when(obj, "created_at", where),
            created_by=self.field(obj, "created_by", str, where),
            updated_at=self.when(obj, "updated_at", where),
            updated_by=self.field(obj, "updated_by", str, where),
        )

    def parse_drafts(
        self, data: bytes, review: Review, city: BundledCity | None
    ) -> list[StoredDraft]:
        drafts: list[StoredDraft] = []
        for where, obj in self.lines(data, "drafts.jsonl"):
            if city is None:
                raise self.fail(f"{where}: a draft needs the city profile, but city.json is null")
            slug = self.field(obj, "city", str, where)
            if slug != review.city:
                raise self.fail(f"{where}: a draft of city {slug!r}, not {review.city!r}")
            version = self.field(obj, "version", str, where)
            if not VERSION_RE.match(version):
                raise self.fail(f"{where}: draft version {version!r} is malformed")
            if any(d.version == version for d in drafts):
                raise self.fail(f"{where}: draft {version!r} appears twice")
            text_sha = obj.get("text_sha256")
            if text_sha is not None:
                text_sha = self.sha(obj, "text_sha256", where)
            received = self.field(obj, "received", (str, type(None)), where)
            try:
                received_on = date.fromisoformat(received) if received else None
            except ValueError:
                raise self.fail(f"{where}: field 'received' is not a date ({received!r})") from None
            drafts.append(
                StoredDraft(
                    city=slug,
                    version=version,
                    sha256=self.sha(obj, "sha256", where),
                    text_sha256=text_sha,
                    filename=self.filename(obj, where),
                    format=self.text(obj, "format", where, 20),
                    lang=self.text(obj, "lang", where, 10),
                    title=self.field(obj, "title", (str, type(None)), where),
                    received=received_on,
                    info=self.field(obj, "info", dict, where),
                    added_at=self.when(obj, "added_at", where),
                    added_by=self.field(obj, "added_by", str, where),
                )
            )
        return drafts

    def sha(self, obj: dict[str, Any], name: str, where: str) -> str:
        value: str = self.field(obj, name, str, where)
        if not _SHA256_RE.match(value):
            raise self.fail(f"{where}: field '{name}' is not a SHA-256 ({value!r})")
        return value

    def text(self, obj: dict[str, Any], name: str, where: str, limit: int) -> str:
        value: str = self.field(obj, name, str, where)
        if not value.strip() or len(value) > limit:
            raise self.fail(f"{where}: field '{name}' must be 1 to {limit} characters")
        return value

    def filename(self, obj: dict[str, Any], where: str) -> str:
        # The name is used when the draft is written out for reading: no folders.
        value = self.text(obj, "filename", where, 255)
        if Path(value).name != value or value in (".", "..") or "\\" in value:
            raise self.fail(f"{where}: field 'filename' is not a plain file name ({value!r})")
        return value

    def match_files(self, drafts: list[StoredDraft], files: dict[str, bytes]) -> None:
        named = {s for d in drafts for s in (d.sha256, d.text_sha256) if s}
        missing = sorted(named - set(files))
        if missing:
            raise self.fail(f"it is incomplete: files/{missing[0]} (named in drafts.jsonl) missing")
        unused = sorted(set(files) - named)
        if unused:
            raise self.fail(f"it holds files/{unused[0]}, which no draft in drafts.jsonl names")
