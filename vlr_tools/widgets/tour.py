"""The workshop tour: a review in five steps, as one widget (also the `vlr serve` app).

1. pick a sample city (and draft);
2. see the draft's SDG coverage chart (17 goals in their official colours);
3. comment on the draft on its page (the page view: select words, save, see
   the highlight; the words behind the SDG suggestions can be underlined);
4. rate one checklist criterion, with the pre-check's suggestion beside it;
5. export the review memo, see the file appear and download it from the page.

Everything is saved in a review workspace as it happens, so a trainer can
stop and go on later. Long steps show a progress bar; an error is shown as a
message under the step (never a traceback), and nothing already saved is
lost.

>>> tour = WorkshopTour(workspace=tmp / "ws", exports=tmp / "out")   # doctest: +SKIP
>>> tour.city.value = "santa-rosa"        # draws the chart             # doctest: +SKIP
>>> tour.rating.value = "partly_met"; tour.save_button.click()         # doctest: +SKIP
>>> tour.export_button.click(); tour.written                            # doctest: +SKIP

In a notebook, :meth:`WorkshopTour.play` clicks through the steps with given
values (headless runs and tests); in the app, the trainer clicks.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..i18n import LANGUAGES, check_lang, t
from .common import MessageArea, NotebookSession, ProgressBar, guard, open_session, show_figure

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from ..checklist import Suggestion, Template

__all__ = ["TOUR_CITY_ENV", "WorkshopTour", "workshop_tour"]

#: Environment variable `vlr serve --city` uses to preselect a city in the app.
TOUR_CITY_ENV = "VLR_TOUR_CITY"
#: Environment variables `vlr serve` uses to point the app at a workspace / export folder.
TOUR_WORKSPACE_ENV = "VLR_TOUR_WORKSPACE"
TOUR_LANG_ENV = "VLR_TOUR_LANG"
#: Set by `vlr serve`: the tour runs as the app (it writes its own title).
TOUR_APP_ENV = "VLR_TOUR_APP"
#: Checklist template of reviews the tour starts (10 criteria: fits a workshop).
TOUR_TEMPLATE = "workshop"
#: Memo formats offered, quickest first (PDF and DOCX draw chart images: seconds).
TOUR_FORMATS = ("html", "md", "pdf", "docx")
_SECTION = "margin:14px 0 4px 0;padding-bottom:2px;border-bottom:1px solid #ddd"
_WIDE = w.Layout(width="44em")
_STYLE = {"description_width": "9em"}


def _labelled(label: str, widget: w.Widget) -> w.HBox:
    """``widget`` with a label lined up with the other inputs' descriptions.

    ToggleButtons put their own description above the buttons; this keeps the
    form in one column.
    """
    caption = w.HTML(
        f"<div style='text-align:right;padding-right:8px'>{html.escape(label)}</div>",
        layout=w.Layout(width="9em", min_width="9em"),
    )
    return w.HBox([caption, widget], layout=w.Layout(align_items="center"))


def _heading(text: str) -> w.HTML:
    return w.HTML(f"<h3 style='{_SECTION}'>{html.escape(text)}</h3>")


class WorkshopTour:
    """The four-step tour as ipywidgets; ``widget`` is what to display.

    ``workspace``/``exports`` are a folder (or database URL) and an output
    folder; empty means the ``vlr`` command's workspace and ``exports/``.
    ``city`` preselects a city (and draws its chart at once); empty leaves the
    choice to the user. ``html_fallback`` adds the export-friendly HTML
    version of the chart (notebooks); the app leaves it out. ``header=False``
    leaves out the title (a notebook has its own).
    """

    def __init__(
        self,
        workspace: str | Path | None = "",
        exports: str | Path | None = "",
        *,
        city: str = "",
        version: str = "",
        lang: str = "en",
        reviewer: str = "",
        html_fallback: bool = False,
        header: bool = True,
    ) -> None:
        from ..cities import load_cities

        self.lang = check_lang(lang)
        self.workspace = workspace
        self.exports = exports
        self.reviewer = reviewer or "Workshop Reviewer (illustrative)"
        self.html_fallback = html_fallback
        #: Set once a city is picked: the open workspace and review.
        self.session: NotebookSession | None = None
        #: The coverage table and chart of the picked city's draft.
        self.coverage: pd.DataFrame | None = None
        self.figure: go.Figure | None = None
        self.template: Template | None = None
        self.suggestions: list[Suggestion] = []
        #: Files the last export wrote, and every file written by this tour.
        self.written: list[Path] = []
        self.history: list[Path] = []
        #: Seconds the last city took from pick to chart (the benchmark reads it).
        self.seconds_to_chart: float | None = None
        #: True once a city's review is open and its chart drawn: steps 3 and 4 work.
        self.ready = False

        L = self.lang
        self.cities = {c.slug: c for c in load_cities()}

        # -- step 1
        self.city = w.Dropdown(
            description=t("tour.city", L),
            options=[(t("tour.city.choose", L), "")]
            + [(f"{c.name} ({c.province})", c.slug) for c in self.cities.values()],
            value="",
            layout=_WIDE,
            style=_STYLE,
        )
        self.version = w.Dropdown(
            description=t("tour.version", L),
            options=[],
            layout=w.Layout(width="18em"),
            style=_STYLE,
        )
        self.load_progress = ProgressBar(L)
        self.load_messages = MessageArea(L)
        self.illustrative = w.HTML()

        # -- step 2
        self.chart = w.Output(layout=w.Layout(min_height="80px"))
        self.chart.add_class("vlr-tour-chart")
        self.summary = w.HTML()

        # -- the page view (built once a city's review is open)
        self.page_view: Any = None
        self.pages_box = w.VBox()
        self.pages_box.add_class("vlr-tour-pages")

        # -- step 3
        self.criterion = w.Dropdown(
            description=t("tour.criterion", L), options=[], layout=_WIDE, style=_STYLE
        )
        self.question = w.HTML()
        self.suggestion = w.HTML()
        from ..checklist import RATINGS, rating_label

        self.rating = w.ToggleButtons(
            options=[(rating_label(r, L), r) for r in RATINGS],
            value=None,
            # Japanese labels are longer in ems ("一部満たしている").
            style={"button_width": "10.5em" if L == "ja" else "9em"},
        )
        self.pages = w.Text(
            description=t("tour.pages", L),
            placeholder=t("tour.pages.placeholder", L),
            layout=w.Layout(width="24em"),
            style=_STYLE,
        )
        self.comment = w.Textarea(description=t("tour.comment", L), layout=_WIDE, style=_STYLE)
        self.recommendation = w.Textarea(
            description=t("tour.recommendation", L), layout=_WIDE, style=_STYLE
        )
        self.save_button = w.Button(description=t("tour.save", L), button_style="primary")
        self.save_button.add_class("vlr-save-rating")
        self.rate_messages = MessageArea(L)

        # -- step 4
        self.memo_lang = w.ToggleButtons(
            options=[("English", "en"), ("日本語", "ja")],
            value=L,
            style={"button_width": "7em"},
        )
        self.format = w.Dropdown(
            description=t("tour.format", L),
            options=[(f.upper() if f != "md" else "Markdown", f) for f in TOUR_FORMATS],
            value="html",
            layout=w.Layout(width="18em"),
            style=_STYLE,
        )
        self.export_button = w.Button(description=t("tour.export", L), button_style="success")
        self.export_button.add_class("vlr-export-memo")
        self.export_progress = ProgressBar(L)
        self.export_messages = MessageArea(L)
        self.files = w.HTML()
        self.files.add_class("vlr-tour-files")

        # Stable class names: the browser test and trainers' custom CSS find widgets by them.
        for widget, name in (
            (self.city, "vlr-city"),
            (self.version, "vlr-version"),
            (self.criterion, "vlr-criterion"),
            (self.rating, "vlr-rating"),
            (self.pages, "vlr-pages"),
            (self.comment, "vlr-comment"),
            (self.recommendation, "vlr-recommendation"),
            (self.memo_lang, "vlr-memo-lang"),
            (self.format, "vlr-format"),
            (self.summary, "vlr-tour-summary"),
        ):
            widget.add_class(name)
        self._set_step_enabled(False)
        self.city.observe(self._on_city, names="value")
        self.version.observe(self._on_version, names="value")
        self.criterion.observe(self._on_criterion, names="value")
        self.save_button.on_click(lambda _b: self.save_rating())
        self.export_button.on_click(lambda _b: self.export_memo())

        title = f"<h2 style='margin:4px 0'>{html.escape(t('tour.title', L))}</h2>" if header else ""
        self.widget = w.VBox(
            [
                w.HTML(
                    f"{title}<p>{html.escape(t('tour.intro', L))}</p>"
                    f"<p style='color:#8a5300;font-style:italic;margin:2px 0'>"
                    f"{html.escape(t('tour.sample_note', L))}</p>"
                ),
                _heading(t("tour.step1", L)),
                w.HBox([self.city, self.version]),
                self.illustrative,
                self.load_progress.widget,
                self.load_messages.widget,
                _heading(t("tour.step2", L)),
                self.summary,
                self.chart,
                _heading(t("tour.step_pages", L)),
                w.HTML(f"<p style='margin:2px 0'>{html.escape(t('tour.step_pages.intro', L))}</p>"),
                self.pages_box,
                _heading(t("tour.step3", L)),
                self.criterion,
                self.question,
                self.suggestion,
                _labelled(t("tour.rating", L), self.rating),
                self.pages,
                self.comment,
                self.recommendation,
                self.save_button,
                self.rate_messages.widget,
                _heading(t("tour.step4", L)),
                w.HBox([_labelled(t("tour.memo_lang", L), self.memo_lang), self.format]),
                self.export_button,
                self.export_progress.widget,
                self.export_messages.widget,
                self.files,
            ]
        )
        self.widget.add_class("vlr-tour")
        if city:
            self.city.value = city  # picks the city: loads the review and draws the chart
            if version and self.version.value != version:
                self.version.value = version

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    def _set_step_enabled(self, enabled: bool) -> None:
        for widget in (
            self.criterion,
            self.rating,
            self.pages,
            self.comment,
            self.recommendation,
            self.save_button,
            self.memo_lang,
            self.format,
            self.export_button,
        ):
            widget.disabled = not enabled

    # -- step 1 and 2: pick a city, draw its coverage --------------------------------

    def _on_city(self, change: dict[str, Any]) -> None:
        slug = change["new"]
        if not slug:
            return
        city = self.cities[slug]
        self.version.unobserve(self._on_version, names="value")
        self.version.options = list(city.versions)
        self.version.value = city.latest.version
        self.version.observe(self._on_version, names="value")
        self.load()

    def _on_version(self, change: dict[str, Any]) -> None:
        if change["new"] and self.city.value:
            self.load()

    def load(self) -> bool:
        """Open (or start) the review of the picked city and draft; draw the coverage chart.

        Returns True when the chart is shown; on an error the message is
        shown under step 1 and False is returned.
        """
        from ..checklist import review_template

        slug, version = self.city.value, self.version.value or None
        L = self.lang
        bar = self.load_progress
        self.load_messages.clear()
        self._set_step_enabled(False)
        self.ready = False
        started = time.perf_counter()
        with guard(self.load_messages, bar):
            city = self.cities[slug]
            bar.start(3, t("tour.progress.open", L, city=city.name))
            previous, self.session = self.session, None
            if previous is not None:
                previous.ws.close()  # one open workspace per tour, whatever was picked before
            self.session = open_session(
                slug,
                version,
                L,
                self.reviewer,
                self.workspace,
                self.exports,
                template=TOUR_TEMPLATE,
            )
            self.illustrative.value = (
                f"<i style='color:#8a5300'>{html.escape(t('common.illustrative_note', L))}</i>"
                if city.illustrative
                else ""
            )
            bar.advance(t("tour.progress.map", L))
            self.coverage = self._coverage_frame()
            bar.advance(t("tour.progress.chart", L))
            self.figure = self._coverage_figure(self.coverage)
            show_figure(self.figure, html_fallback=self.html_fallback, output=self.chart)
            self.summary.value = self._summary_html(self.coverage)
            self.seconds_to_chart = time.perf_counter() - started
            self._show_pages()
            self.template = review_template(self.session.ws, self.session.review_id)
            self.suggestions = self._suggestions()
            self.ready = True
            self._fill_criteria()
            self._set_step_enabled(True)
            self._show_files()
            bar.finish(t("tour.progress.ready", L, city=city.name, version=self.session.version))
            return True
        return False

    def _show_pages(self) -> None:
        """The page view of the picked draft, on its first page with mapping evidence."""
        from .pageview import view_for

        s = self._session()
        rv = s.opened
        mapping = rv.mapping()
        first = next((p.page for p in mapping.paragraphs if p.matches), 1)
        if self.page_view is not None and hasattr(self.page_view, "pages"):
            self.page_view.pages.close()
        self.page_view = view_for(rv, reviewer=s.reviewer or None, lang=self.lang, page=first)
        self.pages_box.children = (self.page_view,)

    def _coverage_frame(self) -> pd.DataFrame:
        from ..coverage import coverage_frame, load_decisions

        s = self._session()
        rv = s.opened
        decisions = load_decisions(s.ws, s.review_id)
        year = rv.hlpf_year or dt.date.today().year
        return coverage_frame(rv.mapping(), rv.indicators, decisions, year, self.lang)

    def _coverage_figure(self, frame: pd.DataFrame) -> go.Figure:
        from ..coverage import coverage_figure

        s = self._session()
        title = f"{s.city.name}, {s.version}: {t('coverage.chart.title', self.lang)}"
        fig = coverage_figure(frame, self.lang, title=title)  # escapes the title itself
        fig.update_layout(width=None, autosize=True)
        return fig

    def _summary_html(self, frame: pd.DataFrame) -> str:
        from ..coverage import hlpf_gaps

        s = self._session()
        L = self.lang
        year = s.city.hlpf_year or dt.date.today().year
        mapped = int((frame["paragraphs"] > 0).sum())
        covered = int(frame["depth"].isin(["covered", "measured"]).sum())
        hlpf = ", ".join(str(g) for g in frame.attrs.get("hlpf_goals", ())) or "-"
        gaps = hlpf_gaps(frame, year, L)
        not_covered = gaps[gaps["gap"] == "not_covered"]
        gap_text = (
            t(
                "tour.summary.gaps",
                L,
                gaps=", ".join(
                    f"{g} {n}"
                    for g, n in zip(not_covered["goal"], not_covered["name"], strict=True)
                ),
            )
            if len(not_covered)
            else t("tour.summary.nogaps", L)
        )
        text = t("tour.summary", L, mapped=mapped, covered=covered, year=year, hlpf=hlpf)
        return f"<p>{html.escape(text)} {html.escape(gap_text)}</p>"

    def _session(self, *, ready: bool = False) -> NotebookSession:
        """The open session; with ``ready``, only once the city's chart is drawn."""
        if self.session is None or (ready and not self.ready):
            from ..errors import VlrError

            raise VlrError(t("tour.pick_city_first", self.lang))
        return self.session

    # -- step 3: rate one criterion ------------------------------------------------

    def _suggestions(self) -> list[Suggestion]:
        from ..checklist import precheck

        s = self._session()
        try:
            return precheck(s.ws, s.city.slug, s.version, review_id=s.review_id)
        except Exception:  # noqa: BLE001 - a failing pre-check must not block rating by hand
            import logging

            logging.getLogger(__name__).exception("pre-check failed in the workshop tour")
            return []

    def _fill_criteria(self) -> None:
        assert self.template is not None
        L = self.lang
        options = [(f"{c.id}  {_short(c.question(L), 90)}", c.id) for c in self.template.criteria]
        current = self.criterion.value
        ids = [cid for _, cid in options]
        # Start on a criterion the pre-check has something to say about.
        flagged = [cid for cid in ids if self._suggestion(cid) is not None]
        first = current if current in ids else (flagged or ids or [""])[0]
        self.criterion.unobserve(self._on_criterion, names="value")
        self.criterion.options = options
        self.criterion.value = first or None
        self.criterion.observe(self._on_criterion, names="value")
        self._show_criterion(self.criterion.value)

    def _suggestion(self, criterion_id: str) -> Suggestion | None:
        from ..checklist import combined_suggestion

        return combined_suggestion(self.suggestions, criterion_id)

    def _on_criterion(self, change: dict[str, Any]) -> None:
        with guard(self.rate_messages):
            self._show_criterion(change["new"])

    def _show_criterion(self, criterion_id: str | None) -> None:
        from ..checklist import get_rating, rating_label

        L = self.lang
        self.rate_messages.clear()
        if not criterion_id or self.template is None:
            self.question.value = self.suggestion.value = ""
            return
        c = self.template.criterion(criterion_id)
        self.question.value = (
            f"<p style='margin:2px 0 2px 9.5em'><b>{html.escape(c.question(L))}</b><br>"
            f"<span style='color:#555'>{html.escape(t('tour.good_practice', L))}: "
            f"{html.escape(c.good(L))}</span></p>"
        )
        sug = self._suggestion(criterion_id)
        text = (
            t("tour.suggestion", L, rating=rating_label(sug.rating, L), reason=sug.reason(L))
            if sug is not None
            else t("tour.suggestion.none", L)
        )
        self.suggestion.value = (
            f"<p style='margin:2px 0 6px 9.5em;color:#0d47a1'>{html.escape(text)}</p>"
        )
        s = self._session()
        mine = get_rating(s.ws, s.review_id, criterion_id, s.reviewer or None)
        if mine is not None:
            self.rating.value = mine.rating
            self.pages.value = ", ".join(str(p) for p in mine.pages)
            self.comment.value = mine.comment
            self.recommendation.value = mine.recommendation
        else:
            self.rating.value = None
            self.pages.value = ", ".join(str(p) for p in sug.pages) if sug is not None else ""
            self.comment.value = self.recommendation.value = ""

    def save_rating(self) -> bool:
        """Save the rating shown in step 3; True when saved."""
        from ..checklist import list_ratings, rate, rating_label
        from ..errors import ChecklistError

        L = self.lang
        self.rate_messages.clear()
        with guard(self.rate_messages):
            s = self._session(ready=True)
            cid = self.criterion.value
            if not self.rating.value:
                allowed = ", ".join(label for label, _ in self.rating.options)
                raise ChecklistError(f"choose a rating for {cid} first; allowed: {allowed}")
            sug = self._suggestion(cid)
            saved = rate(
                s.ws,
                s.review_id,
                cid,
                self.rating.value,
                pages=self.pages.value,
                comment=self.comment.value,
                recommendation=self.recommendation.value,
                reviewer=s.reviewer or None,
                suggested=sug.rating if sug is not None else None,
            )
            assert self.template is not None
            done = len(
                {r.criterion_id for r in list_ratings(s.ws, s.review_id, include_orphaned=False)}
            )
            self.rate_messages.ok(
                t(
                    "tour.saved",
                    L,
                    criterion=cid,
                    rating=rating_label(saved.rating, L),
                    reviewer=saved.reviewer,
                    version=saved.version,
                )
                + " "
                + t("tour.rated_count", L, done=done, total=len(self.template.criteria))
            )
            return True
        return False

    # -- step 4: export the memo ---------------------------------------------------

    @property
    def export_folder(self) -> Path:
        """Where the memo of the picked city is written: ``<exports>/<city>/``."""
        s = self._session()
        return s.exports / s.city.slug

    def export_memo(self) -> list[Path]:
        """Write the memo in the chosen format and language; returns the files written."""
        from ..memo import build_memo, render_memo

        L = self.lang
        bar = self.export_progress
        self.export_messages.clear()
        self.written = []
        with guard(self.export_messages, bar):
            s = self._session(ready=True)
            bar.start(3, t("tour.progress.memo", L))
            memo = build_memo(s.ws, s.review_id, self.memo_lang.value)
            results = render_memo(memo, (self.format.value,), self.export_folder, progress=bar)
            self.written = [r.path for r in results]
            self.history += [p for p in self.written if p not in self.history]
            notes = [warning for r in results for warning in r.warnings]
            bar.finish(t("tour.progress.written", L))
            names = ", ".join(p.name for p in self.written)
            if notes:
                self.export_messages.warn(t("tour.written", L, file=names) + " " + " ".join(notes))
            else:
                self.export_messages.ok(t("tour.written", L, file=names))
            self._show_files()
        return self.written

    def _show_files(self) -> None:
        """List the memo files in the export folder, newest first, marking this tour's."""
        L = self.lang
        folder = self.export_folder
        files = (
            sorted(
                (p for p in folder.glob("*-review-memo-*") if p.is_file()),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            if folder.is_dir()
            else []
        )
        head = f"<p style='margin:6px 0 2px 0'><b>{html.escape(t('tour.files', L, folder=str(folder)))}</b></p>"
        if not files:
            self.files.value = head + f"<p>{html.escape(t('tour.files.none', L))}</p>"
            return
        rows = []
        for k, p in enumerate(files[:20]):
            stat = p.stat()
            when = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            new = p in self.written
            badge = (
                f" <span class='vlr-new' style='background:#1b5e20;color:white;padding:0 5px;"
                f"border-radius:3px;font-size:85%'>{html.escape(t('tour.files.new', L))}</span>"
                if new
                else ""
            )
            rows.append(
                f"<tr class='vlr-file'><td><code>{html.escape(p.name)}</code>{badge}</td>"
                f"<td style='text-align:right'>{_size(stat.st_size)}</td><td>{when}</td>"
                f"<td>{_download_link(p, L) if k < DOWNLOAD_NEWEST else ''}</td></tr>"
            )
        cells = "".join(
            f"<th style='text-align:left;padding-right:16px'>{html.escape(t(k, L))}</th>"
            for k in ("tour.files.name", "tour.files.size", "tour.files.time", "tour.files.open")
        )
        self.files.value = (
            head + f"<table class='vlr-files'><thead><tr>{cells}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    # -- headless ------------------------------------------------------------------

    def play(
        self,
        city: str | None = None,
        *,
        criterion: str | None = None,
        rating: str = "partly_met",
        pages: str = "",
        comment: str = "",
        recommendation: str = "",
        fmt: str = "html",
        memo_lang: str | None = None,
    ) -> list[Path]:
        """Click through the tour with these values (headless runs); returns the memo files.

        Each step goes through the same widgets and buttons a trainer uses, so
        an error shows under its step exactly as in the app.
        """
        if city and self.city.value != city:
            self.city.value = city
        if not self.ready:
            return []
        if criterion:
            self.criterion.value = criterion
        self.rating.value = rating
        if pages:
            self.pages.value = pages
        self.comment.value = comment or self.comment.value
        self.recommendation.value = recommendation or self.recommendation.value
        self.save_button.click()
        self.memo_lang.value = memo_lang or self.lang
        self.format.value = fmt
        self.export_button.click()
        return list(self.written)


#: How many of the newest memos get a download link (each travels inside the page).
DOWNLOAD_NEWEST = 6
#: Largest memo offered for download from the page.
DOWNLOAD_LIMIT = 25 * 1024 * 1024
_MIME = {
    ".html": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown",
}


def _download_link(path: Path, lang: str) -> str:
    """A link that saves ``path`` from the page itself (the app has no file server).

    The file travels inside the link (a data: URL), so it works in Voila and
    JupyterLab alike, offline, without opening a folder on the server.
    """
    import base64

    size = path.stat().st_size
    if size > DOWNLOAD_LIMIT:
        return f"<i>{html.escape(t('tour.files.too_big', lang))}</i>"
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f"<a class='vlr-download' download='{html.escape(path.name)}' "
        f"href='data:{mime};base64,{data}'>{html.escape(t('tour.files.open', lang))}</a>"
    )


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


def workshop_tour(
    city: str = "",
    version: str = "",
    lang: str = "",
    reviewer: str = "",
    workspace: str | Path | None = "",
    exports: str | Path | None = "",
    *,
    autoplay: bool = False,
    html_fallback: bool = False,
    header: bool | None = None,
) -> WorkshopTour:
    """Build the tour from a notebook's parameters, or from `vlr serve`'s settings.

    Empty ``city``/``lang``/``workspace`` fall back to the environment set by
    ``vlr serve`` (``VLR_TOUR_CITY``, ``VLR_TOUR_LANG``, ``VLR_TOUR_WORKSPACE``),
    then to no preselected city, English and the ``vlr`` command's workspace.
    ``header`` (the tour's own title and sample-data note) defaults to on in
    the app (``VLR_TOUR_APP=1``, set by ``vlr serve``) and off in a notebook,
    which has its own title cell.
    With ``autoplay`` (headless runs) the four steps are clicked through with
    example values (:meth:`WorkshopTour.play`).
    """
    if header is None:
        # In the app the notebook's own title cell is left out (vlr-notebook-only):
        # the tour writes the title, in the app's language.
        header = os.environ.get(TOUR_APP_ENV) == "1"
    lang = lang or os.environ.get(TOUR_LANG_ENV, "") or "en"
    if lang not in LANGUAGES:
        check_lang(lang)
    tour = WorkshopTour(
        workspace=workspace or os.environ.get(TOUR_WORKSPACE_ENV, ""),
        exports=exports,
        city=city or os.environ.get(TOUR_CITY_ENV, ""),
        version=version,
        lang=lang,
        reviewer=reviewer,
        html_fallback=html_fallback,
        header=header,
    )
    if autoplay:
        tour.play(
            comment=t("tour.autoplay.comment", lang),
            recommendation=t("tour.autoplay.recommendation", lang),
        )
    return tour
