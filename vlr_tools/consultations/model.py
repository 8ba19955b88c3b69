"""The consultation record and the participant record, with their personal-data marks.

A :class:`Consultation` is one engagement event as the VLR guidelines ask a
city to log it; a :class:`Participant` is one attendee from the sign-in sheet.
Fields that hold personal data under the Philippine Data Privacy Act
(RA 10173) carry ``metadata={"personal": True}`` (and ``"sensitive": True``
for sensitive personal information: age, health/disability, ethnic origin);
:data:`PERSONAL_FIELDS` lists them, and the exports leave them out unless the
user explicitly asks for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_PERSONAL: dict[str, Any] = {"personal": True}
_SENSITIVE: dict[str, Any] = {"personal": True, "sensitive": True}


@dataclass(frozen=True)
class Consultation:
    """One stakeholder consultation (workshop, focus group, hearing, survey...).

    ``groups`` are stakeholder group ids from ``data/reference/stakeholders``;
    ``format``, ``iap2`` are ids from ``engagement.yaml`` (a format the
    vocabulary does not know is kept as written). ``sdgs`` are goal numbers
    and ``targets`` target codes ("11.6"). Counts are None when not recorded.
    """

    record_id: str
    date: dt.date | None
    ref: str = ""
    title: str = ""
    venue: str = ""
    format: str = ""
    organiser: str = ""
    contact_person: str = field(default="", metadata=_PERSONAL)
    groups: tuple[str, ...] = ()
    total: int | None = None
    male: int | None = None
    female: int | None = None
    youth: int | None = None
    seniors: int | None = None
    pwd_present: bool | None = None
    ip_present: bool | None = None
    language: str = ""
    accessibility: str = ""
    sdgs: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    issues: str = ""
    response: str = ""
    iap2: str | None = None
    consent: str = ""
    evidence: str = ""
    notes: str = ""
    # Where the record came from ("log.xlsx, sheet 'Log', row 7"); not part of
    # the record's identity.
    source: str = field(default="", compare=False)

    @property
    def participants(self) -> int | None:
        """Total participants: the recorded total, else male + female when both known."""
        if self.total is not None:
            return self.total
        if self.male is not None and self.female is not None:
            return self.male + self.female
        return None

    @property
    def disaggregated(self) -> bool:
        """True when participation is broken down by sex (male and female counts)."""
        return self.male is not None and self.female is not None

    def replace(self, **changes: Any) -> Consultation:
        """A copy with ``changes`` applied (records are immutable)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self, include_personal: bool = True) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO text) for the workspace or an export."""
        return _to_dict(self, include_personal)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Consultation:
        """Rebuild a record from :meth:`to_dict` output (unknown keys are ignored)."""
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Participant:
    """One attendee of a consultation, as on a sign-in sheet: personal data."""

    participant_id: str
    consultation: str = ""  # record_id of the consultation attended
    name: str = field(default="", metadata=_PERSONAL)
    sex: str | None = None  # "female" | "male" | "other"
    age: str = field(default="", metadata=_SENSITIVE)  # years or a band: "34", "40-59", "60+"
    group: str | None = None  # stakeholder group id
    organisation: str = ""
    barangay: str = ""
    address: str = field(default="", metadata=_PERSONAL)
    phone: str = field(default="", metadata=_PERSONAL)
    email: str = field(default="", metadata=_PERSONAL)
    contact: str = field(default="", metadata=_PERSONAL)
    pwd: bool | None = field(default=None, metadata=_SENSITIVE)
    ip: bool | None = field(default=None, metadata=_SENSITIVE)
    consent: bool | None = None
    signature: str = field(default="", metadata=_PERSONAL)
    notes: str = ""
    source: str = field(default="", compare=False)

    def replace(self, **changes: Any) -> Participant:
        return dataclasses.replace(self, **changes)

    def to_dict(self, include_personal: bool = True) -> dict[str, Any]:
        return _to_dict(self, include_personal)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Participant:
        return _from_dict(cls, data)


def personal_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of ``cls`` that hold personal data."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


def sensitive_fields(cls: type) -> tuple[str, ...]:
    """Fields holding sensitive personal information (RA 10173 sec. 3(l))."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("sensitive"))


#: Personal-data fields per record type: left out of exports by default.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "consultation": personal_fields(Consultation),
    "participant": personal_fields(Participant),
}


_DICT_FIELDS: dict[tuple[type, bool], tuple[str, ...]] = {}


def _dict_fields(cls: type, include_personal: bool) -> tuple[str, ...]:
    """Field names :func:`_to_dict` writes (looked up once per class: imports call it 50,000 times)."""
    names = _DICT_FIELDS.get((cls, include_personal))
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if f.name != "source" and (include_personal or not f.metadata.get("personal"))
        )
        _DICT_FIELDS[(cls, include_personal)] = names
    return names


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _to_dict(record: Any, include_personal: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _dict_fields(type(record), include_personal):
        value = getattr(record, name)
        if type(value) in _AS_IS:  # most fields: checked first, it is the fast test
            pass
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def _from_dict(cls: Any, data: Mapping[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "date" and isinstance(value, str) and value:
            value = dt.date.fromisoformat(value[:10])
        elif f.name == "sdgs":
            value = tuple(int(v) for v in value or ())
        elif f.name in ("groups", "targets"):
            value = tuple(str(v) for v in value or ())
        kwargs[f.name] = value
    return cls(**kwargs)


def content_id(prefix: str, *parts: object) -> str:
    """A stable id from a record's identifying content (same content -> same id)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10].upper()}"


def consultation_id(ref: str, date: dt.date | None, title: str, venue: str, groups: tuple) -> str:
    """The workspace key of a consultation: its Ref. No., else a content hash.

    The hash covers date, title, venue and groups, so re-importing the same log
    (or a log re-sorted by the city) updates records instead of duplicating them.
    """
    ref = " ".join(str(ref).split())
    if ref:
        return ref
    return content_id(
        "C",
        date.isoformat() if date else "",
        title.casefold(),
        venue.casefold(),
        ",".join(sorted(groups)),
    )


def participant_id(ref: str, consultation: str, name: str, contact: str) -> str:
    """The workspace key of a participant: consultation + row id, else a hash."""
    ref = " ".join(str(ref).split())
    if ref:
        return f"{consultation}/{ref}" if consultation and not ref.startswith(consultation) else ref
    return content_id("P", consultation, " ".join(name.casefold().split()), contact.strip())
