"""Every exception the workbench raises.

All of them derive from :class:`VlrError`, so the CLI and the notebook widgets
can turn any of them into one clear line. Each also subclasses the built-in
exception that fits (``ValueError`` for bad input, ``LookupError`` for an
unknown code, ``RuntimeError`` for an environment problem) so callers can
catch them in the usual way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file.

    ``where`` renders the location the way a reviewer reads it:
    ``consultations.xlsx, sheet 'Log', row 7, column 'Date'``.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object | None = None
    allowed: str | None = None
    #: For a table read from a draft: the page and the table on that page.
    page: int | None = None
    table: int | None = None

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.value not in (None, ""):
            text += f" (found {self.value!r})"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return text


class VlrError(Exception):
    """Base class of every error the workbench raises on purpose."""


class ProblemsError(VlrError, ValueError):
    """An input had one or more problems; ``problems`` lists every one."""

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = summary
        self.problems: Sequence[Problem] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return self.summary
        lines = [f"{self.summary} ({len(self.problems)} problem(s))"]
        lines += [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)


class LanguageError(VlrError, ValueError):
    """A language code the workbench does not support."""


class DataFileError(ProblemsError):
    """A reference or sample data file is malformed."""


class FrameworkError(VlrError, ValueError):
    """The SDG framework data or a framework operation is wrong."""


class UnknownCodeError(FrameworkError, LookupError):
    """An SDG goal, target or indicator code that does not exist or is malformed."""


class DocumentError(VlrError, ValueError):
    """A draft document cannot be read (missing, corrupt, scanned, encrypted...)."""


class ScannedDraftError(DocumentError):
    """A PDF whose pages have no text layer (scanned): it needs OCR before it can be reviewed."""


class MappingError(VlrError, ValueError):
    """A mapping request or vocabulary entry is invalid."""


class WorkspaceError(VlrError, RuntimeError):
    """The review workspace cannot be opened, read or written."""


class ConflictError(WorkspaceError):
    """Someone else changed the same item since it was read.

    ``current`` is the stored record (whose change, which value); ``attempted``
    is the value that was not written.
    """

    def __init__(self, message: str, current: object = None, attempted: object = None) -> None:
        super().__init__(message)
        self.current = current
        self.attempted = attempted


class AccessError(WorkspaceError, PermissionError):
    """The database refused a change: the team member lacks the role it needs.

    The message names the role needed (on the team, or on the review).
    """


class BundleError(WorkspaceError, ValueError):
    """A review bundle is corrupt, tampered with, truncated or already imported."""


class ChecklistError(VlrError, ValueError):
    """A checklist template, criterion, rating or evidence reference is invalid."""


class ConsultationLogError(ProblemsError):
    """A consultation log (XLSX/CSV) has problems; ``problems`` lists all of them."""


class ClaimError(VlrError, ValueError):
    """A figure check that cannot be decided: unknown id, missing reason, unknown indicator."""


class AnnotationError(VlrError, ValueError):
    """An annotation cannot be anchored or saved as given."""


class MemoError(VlrError, RuntimeError):
    """A memo cannot be built or rendered."""


class MissingComponentError(VlrError, RuntimeError):
    """A system program the feature needs (e.g. Chromium) is not installed."""


class CityError(VlrError, LookupError):
    """An unknown sample city, or a draft version the city does not have."""


class CityProfileError(ProblemsError):
    """A city profile has problems (a wrong slug, population, year...); every one is listed."""


class UnknownReviewError(WorkspaceError, LookupError):
    """A review id that is not in the workspace."""


class WorkspaceValueError(WorkspaceError, ValueError):
    """A value given to the workspace (kind, key, data, status, name...) is not allowed."""


class AnnotationImportError(ProblemsError, AnnotationError):
    """An annotation exchange file (CSV/XLSX/JSON-LD) has problems; nothing was imported."""


class ResponseSheetError(ProblemsError):
    """A city's response sheet has problems; ``problems`` lists every one (sheet, row,
    column). Nothing was stored."""
