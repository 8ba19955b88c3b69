"""A notebook form to start the review of a real city: its profile, its draft, the review.

>>> form = start_review_form("data/workspace", reviewer="Ana Reyes")   # doctest: +SKIP
>>> form                                                              # doctest: +SKIP

The reviewer fills in the city's profile (only slug and name are required),
picks the draft file the city sent (PDF, Word .docx, Markdown or text) and
clicks *Start review*. The form then takes the city in
(:func:`~vlr_tools.intake.add_city`, unless it is already in the workspace),
stores the draft (:func:`~vlr_tools.intake.add_draft`) and starts the review
(:func:`~vlr_tools.intake.start_review`: mapped and pre-checked), and shows
what the intake found in the file, the review id and the next steps.

Nothing is half-stored: the profile and the file are checked before anything
is written, so a bad file (empty, a web page saved as ``.pdf``, a corrupt
PDF) shows one message in the form and leaves the workspace as it was.

Headless (papermill), :meth:`StartReviewForm.start_file` does the same from
a file path and raises the library's error instead of showing it.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import CityError, DocumentError, ScannedDraftError
from ..i18n import check_lang, t
from .common import MessageArea, guard, notebook_paths

if TYPE_CHECKING:
    from ..intake import DraftIntake, Started
    from ..workspace import Workspace

#: Draft files the upload offers (the intake checks what the bytes really are).
ACCEPT = ".pdf,.docx,.md,.markdown,.txt"
_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "txt": ".txt"}
#: The notebooks that work on a review, in the order a reviewer uses them.
NEXT_NOTEBOOKS = (
    ("01_map_draft", "accept or reject the suggested SDG mapping, annotate passages"),
    ("02_checklist", "pre-check suggestions and checklist ratings"),
    ("03_consultations", "import the consultation log (log_file) and analyse it"),
    ("04_export_memo", "write the review memo"),
)


def _text(key: str, lang: str, **fmt: object) -> str:
    """The form's text in English or Japanese (data/reference/i18n/intake.yaml)."""
    return t(f"intake.form.{key}", lang, **fmt)


def _whole(value: str, label: str) -> int | None:
    """A whole number typed in a text box ('' is unknown; 1,234 and 1 234 are allowed)."""
    text = "".join(str(value or "").replace(",", "").split())
    if not text:
        return None
    if not text.isdigit():
        raise CityError(f"{label}: {value!r} is not a whole number; leave it empty if unknown")
    return int(text)


def uploaded_file(value: Any) -> tuple[str, bytes] | None:
    """The (name, bytes) of the file in a FileUpload's ``value``, or None when none is chosen.

    ipywidgets 8 gives a tuple of dicts (``name``, ``type``, ``size``,
    ``content`` as a memoryview, ``last_modified``); ipywidgets 7 gave a dict
    keyed by file name. Only the last file counts (the form takes one).
    """
    if not value:
        return None
    items = list(value.values()) if isinstance(value, dict) else list(value)
    item = items[-1]
    name = str(item.get("name") or (item.get("metadata") or {}).get("name") or "draft")
    content = item.get("content", b"")
    return Path(name).name or "draft", bytes(content)


class StartReviewForm:
    """Widgets to start the review of a city's draft in workspace ``ws``.

    Attributes are the inputs (``upload``, ``slug``, ``name``, ``country``,
    ``province``, ``population``, ``population_year``, ``barangays``,
    ``coastal``, ``hlpf_year``, ``version``, ``draft_lang``, ``received``,
    ``ocr``), the ``start_button``, ``messages`` (a :class:`MessageArea`) and
    ``report`` (an HTML widget: what the intake found and the next steps).
    After a start, ``started`` and ``intake`` hold what was done.
    """

    def __init__(
        self,
        ws: Workspace,
        *,
        reviewer: str | None = None,
        lang: str = "en",
        slug: str = "",
        name: str = "",
        country: str = "Philippines",
        province: str = "",
        version: str = "v1",
        template: str = "full",
    ) -> None:
        self.lang = check_lang(lang)
        self.ws = ws
        self.reviewer = reviewer or ws.reviewer or None
        self.template = template
        self.started: Started | None = None
        self.intake: DraftIntake | None = None
        layout = w.Layout(width="32em")
        style = {"description_width": "12em"}

        def text(key: str, value: str = "", placeholder: str = "") -> w.Text:
            return w.Text(
                value=value,
                description=_text(key, lang),
                placeholder=placeholder,
                layout=layout,
                style=style,
            )

        self.upload = w.FileUpload(accept=ACCEPT, multiple=False, description=_text("upload", lang))
        self.slug = text("slug", slug, "e.g. baguio")
        self.name = text("name", name, "e.g. Baguio City")
        self.country = text("country", country)
        self.province = text("province", province)
        self.population = text("population", "", "e.g. 366358")
        self.population_year = text("population_year", "", "e.g. 2020")
        self.barangays = text("barangays", "", "e.g. 129")
        self.coastal = w.Dropdown(
            options=[
                (_text(k, lang), v) for k, v in (("unknown", None), ("yes", True), ("no", False))
            ],
            value=None,
            description=_text("coastal", lang),
            layout=layout,
            style=style,
        )
        self.hlpf_year = text("hlpf_year", "", "e.g. 2026")
        self.version = text("version", version, "v1, v2 or 2026-03")
        self.draft_lang = w.Dropdown(
            options=[(_text("detect", lang), None), ("English", "en"), ("日本語", "ja")],
            value=None,
            description=_text("draft_lang", lang),
            layout=layout,
            style=style,
        )
        self.received = text("received", "", "2026-03-31")
        self.ocr = w.Checkbox(value=False, description=_text("ocr", lang), indent=True)
        self.start_button = w.Button(
            description=_text("start", lang), button_style="primary", icon="play"
        )
        self.start_button.on_click(self._on_start)
        self.messages = MessageArea(lang)
        self.report = w.HTML(value="")
        self.report.add_class("vlr-intake-report")
        self.widget = w.VBox(
            [
                w.HBox([w.Label(_text("upload", lang)), self.upload]),
                self.slug,
                self.name,
                self.country,
                self.province,
                self.population,
                self.population_year,
                self.barangays,
                self.coastal,
                self.hlpf_year,
                self.version,
                self.draft_lang,
                self.received,
                self.ocr,
                self.start_button,
                self.messages.widget,
                self.report,
            ]
        )
        self.widget.add_class("vlr-start-review")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # -- what the inputs say ---------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        """The profile facts typed in (unknown ones left out); raises CityError for bad numbers."""
        lang = self.lang
        facts: dict[str, Any] = {
            "country": " ".join(self.country.value.split()),
            "province": " ".join(self.province.value.split()),
            "population": _whole(self.population.value, _text("population", lang)),
            "population_year": _whole(self.population_year.value, _text("population_year", lang)),
            "barangays": _whole(self.barangays.value, _text("barangays", lang)),
            "coastal": self.coastal.value,
            "hlpf_year": _whole(self.hlpf_year.value, _text("hlpf_year", lang)),
        }
        return {k: v for k, v in facts.items() if v not in (None, "")}

    # -- actions ------------------------------------------------------------------------------

    def start(self, data: bytes, filename: str) -> Started:
        """Take in the city (if new) and the draft ``data``, and start the review.

        Everything is checked before anything is stored; raises the library's
        error (one message) otherwise.
        """
        from ..intake import add_draft, is_sample_city, sniff_format, start_review
        from ..workspace.cities import VERSION_RE, CityProfile, check_profile

        slug = self.slug.value.strip()
        version = self.version.value.strip()
        if not VERSION_RE.match(version):
            raise DocumentError(
                f"draft version {version!r} is not allowed; write e.g. v1, v2 or 2026-03 "
                "(letters, digits, '.', '_' or '-')"
            )
        new_city = None
        if self.ws.find_city(slug) is None and not is_sample_city(slug):
            new_city = check_profile(CityProfile(slug=slug, name=self.name.value, **self.facts()))
        fmt = sniff_format(data, filename)
        # Named by what the bytes are, as the intake names the stored file.
        suffix = _SUFFIX[fmt]
        if Path(filename).suffix.lower() != suffix:
            filename = f"{Path(filename).stem or 'draft'}{suffix}"
        lines: list[str] = []
        if new_city is None and self.ws.find_city(slug) is not None:
            lines.append(_text("city_kept", self.lang, city=slug))
        with tempfile.TemporaryDirectory(prefix="vlr-upload-") as tmp:
            path = Path(tmp) / filename
            path.write_bytes(data)
            try:
                # The new city is stored only once the draft has been read: a file
                # that cannot be read leaves no city behind.
                intake = add_draft(
                    self.ws,
                    slug,
                    path,
                    version=version,
                    lang=self.draft_lang.value,
                    received=self.received.value.strip() or None,
                    ocr=bool(self.ocr.value),
                    reviewer=self.reviewer,
                    new_city=new_city,
                )
            except ScannedDraftError:
                raise ScannedDraftError(
                    f"{filename}: is a scanned PDF with no text layer, so nothing can be "
                    f"mapped or quoted. Tick '{_text('ocr', self.lang)}' to read its pages "
                    "with OCR (the original file is kept), or ask the city for the PDF "
                    "exported from Word"
                ) from None
        if new_city is not None:
            lines.insert(0, _text("city_added", self.lang, city=slug))
        reviewers = (self.reviewer,) if self.reviewer else ()
        started = start_review(
            self.ws,
            slug,
            version,
            reviewers=reviewers,
            template=self.template,
            reviewer=self.reviewer,
        )
        self.intake, self.started = intake, started
        self._show(lines + intake.report(), started)
        return started

    def start_file(self, path: str | Path) -> Started:
        """:meth:`start` with a file on disk (headless runs); raises on errors."""
        file = Path(path).expanduser()
        if not file.is_file():
            raise DocumentError(
                f"{file}: file not found" if not file.exists() else f"{file}: not a file"
            )
        return self.start(file.read_bytes(), file.name)

    def _on_start(self, _button: Any = None) -> None:
        self.report.value = ""
        self.messages.info(_text("working", self.lang))
        with guard(self.messages):
            chosen = uploaded_file(self.upload.value)
            if chosen is None:
                raise DocumentError(_text("no_file", self.lang))
            name, data = chosen
            started = self.start(data, name)
            self.messages.ok(
                _text(
                    "started",
                    self.lang,
                    review=started.review.id,
                    city=started.city.name,
                    version=started.review.version,
                )
            )

    def _show(self, lines: list[str], started: Started) -> None:
        rid = started.review.id
        esc = html.escape
        found = "".join(f"<li>{esc(line)}</li>" for line in lines)
        found += (
            f"<li>mapped: {started.paragraphs_mapped} paragraph(s) with suggested SDG goals; "
            f"pre-checks: {started.suggestions} suggestion(s)</li>"
        )
        notebooks = "".join(
            f"<li><code>{esc(nb)}</code>: {esc(what)}</li>" for nb, what in NEXT_NOTEBOOKS
        )
        commands = "".join(f"<li><code>{esc(c)}</code></li>" for c in started.next_commands())
        self.report.value = (
            f"<div><b>{esc(_text('started', self.lang, review=rid, city=started.city.name, version=started.review.version))}</b>"
            f"<ul>{found}</ul>"
            f"<b>{esc(_text('next', self.lang))}</b><br>"
            f"{esc(_text('notebooks', self.lang, review=rid))}<ul>{notebooks}</ul>"
            f"{esc(_text('commands', self.lang))}<ul>{commands}</ul></div>"
        )


def start_review_form(
    workspace: str | Path | Workspace | None = "",
    *,
    reviewer: str = "",
    lang: str = "en",
    **defaults: Any,
) -> StartReviewForm:
    """The form that starts a city's review, on ``workspace`` (a folder, URL or open workspace).

    An empty ``workspace`` means what the ``vlr`` command uses
    (``$VLR_DATABASE_URL``, else ``$VLR_WORKSPACE_DIR``, else
    ``data/workspace``). ``defaults`` fill the form: ``slug``, ``name``,
    ``country``, ``province``, ``version``, ``template``.
    """
    from ..workspace import open_workspace

    check_lang(lang)
    if isinstance(workspace, str | Path) or workspace is None:
        location, _ = notebook_paths(workspace or "")
        if isinstance(location, Path):
            location.mkdir(parents=True, exist_ok=True)
        ws = open_workspace(location, reviewer=reviewer or None)
    else:
        ws = workspace
    return StartReviewForm(ws, reviewer=reviewer or None, lang=lang, **defaults)


__all__ = ["ACCEPT", "StartReviewForm", "start_review_form", "uploaded_file"]
