"""A notebook form to enter or edit one consultation record and save it to the workspace.

>>> form = ConsultationForm(ws, review.id)   # doctest: +SKIP
>>> form                                     # doctest: +SKIP

The form validates with the same rules as the spreadsheet import and shows
every problem inside the form (never a traceback). Saving uses the
workspace's version check, so a colleague's change made meanwhile is not
overwritten: the form says who changed it and loads their version.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..consultations import CONSULTATION_KIND, Consultation, validate_consultation
from ..consultations.vocab import get_engagement
from ..errors import ConflictError, Problem, VlrError
from ..i18n import check_lang, t
from ..stakeholders import get_stakeholders

TEXT_FIELDS = (
    "ref",
    "date",
    "title",
    "venue",
    "organiser",
    "language",
    "accessibility",
    "sdgs",
    "consent",
    "evidence",
)
COUNT_FIELDS = ("total", "male", "female", "youth", "seniors")
AREA_FIELDS = ("issues", "response", "notes")
# Field names of the form -> i18n column label keys (the record calls ref "record_id").
_LABEL_KEY = {"ref": "record_id"}


def _label(field_name: str, lang: str) -> str:
    return t(f"consultations.col.{_LABEL_KEY.get(field_name, field_name)}", lang)


class ConsultationForm:
    """Widgets to enter/edit a consultation of review ``review_id`` in workspace ``ws``.

    Attributes are the input widgets (``date``, ``groups``, ``male``...), the
    ``save_button``, ``new_button``, the ``record`` picker and ``messages``
    (an HTML widget with the outcome or the list of problems). ``widget`` is
    the laid-out form to display.
    """

    def __init__(
        self, ws: Any, review_id: str, *, reviewer: str | None = None, lang: str = "en"
    ) -> None:
        check_lang(lang)
        self.ws = ws
        self.review_id = review_id
        self.reviewer = reviewer
        self.lang = lang
        self._key: str | None = None  # workspace key of the record being edited
        self._version: int | None = None
        engagement = get_engagement()
        sh = get_stakeholders()
        layout = w.Layout(width="32em")
        style = {"description_width": "14em"}

        def text(name: str, placeholder: str = "") -> w.Text:
            return w.Text(
                description=_label(name, lang), placeholder=placeholder, layout=layout, style=style
            )

        self.record = w.Dropdown(
            description=t("consultations.form.record", lang), layout=layout, style=style
        )
        self.inputs: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            self.inputs[name] = text(
                name, {"date": "2024-11-28", "sdgs": "6, 11.6, 13"}.get(name, "")
            )
        for name in COUNT_FIELDS:
            self.inputs[name] = text(name, "0")
        for name in AREA_FIELDS:
            self.inputs[name] = w.Textarea(
                description=_label(name, lang), layout=layout, style=style
            )
        unset = t("consultations.form.unset", lang)
        self.inputs["format"] = w.Dropdown(
            description=_label("format", lang),
            options=[(unset, "")]
            + [(term.name(lang), term.id) for term in engagement.formats.terms],
            layout=layout,
            style=style,
        )
        self.inputs["iap2"] = w.Dropdown(
            description=_label("iap2", lang),
            options=[(unset, "")]
            + [(term.name(lang), term.id) for term in engagement.iap2_levels.terms],
            layout=layout,
            style=style,
        )
        flag_options = [
            (unset, None),
            (t("consultations.form.yes", lang), True),
            (t("consultations.form.no", lang), False),
        ]
        for name in ("pwd_present", "ip_present"):
            self.inputs[name] = w.Dropdown(
                description=_label(name, lang), options=flag_options, layout=layout, style=style
            )
        self.inputs["groups"] = w.SelectMultiple(
            description=_label("groups", lang),
            options=[(g.name(lang), g.id) for g in sh.groups("all")],
            rows=10,
            layout=layout,
            style=style,
        )
        self.inputs["contact_person"] = w.Text(
            description=_label("contact_person", lang),
            placeholder=t("consultations.form.personal", lang),
            layout=layout,
            style=style,
        )
        self.save_button = w.Button(
            description=t("consultations.form.save", lang), button_style="primary"
        )
        self.new_button = w.Button(description=t("consultations.form.clear", lang))
        self.messages = w.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.new_button.on_click(lambda _b: self.clear())
        self._refresh_picker()
        self.record.observe(self._picked, names="value")
        order = (
            "ref", "date", "title", "venue", "format", "organiser", "contact_person", "groups",
            "total", "male", "female", "youth", "seniors", "pwd_present", "ip_present",
            "language", "accessibility", "sdgs", "issues", "response", "iap2", "consent",
            "evidence", "notes",
        )  # fmt: skip
        self.widget = w.VBox(
            [
                w.HTML(f"<b>{html.escape(t('consultations.form.title', lang))}</b>"),
                self.record,
                *[self.inputs[name] for name in order],
                w.HBox([self.save_button, self.new_button]),
                self.messages,
            ]
        )

    def __getattr__(self, name: str) -> Any:
        # form.date, form.groups ... are the input widgets
        inputs = self.__dict__.get("inputs", {})
        if name in inputs:
            return inputs[name]
        raise AttributeError(name)

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    # -- records -------------------------------------------------------------------
    def _refresh_picker(self) -> None:
        keys = [r.key for r in self.ws.records(self.review_id, CONSULTATION_KIND)]
        current = self.record.value or ""
        self.record.options = [(t("consultations.form.new", self.lang), "")] + [
            (k, k) for k in keys
        ]
        self.record.value = current if current in keys else ""

    def _picked(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.load(change["new"])
        else:
            self.clear()

    def values(self) -> dict[str, object]:
        """The form's current input as ``field -> value`` for validation."""
        out: dict[str, object] = {}
        for name, widget in self.inputs.items():
            value = widget.value
            if name == "groups":
                value = "; ".join(value)
            elif isinstance(value, str):
                value = value.strip() or None
            out[name] = value
        return out

    def load(self, key: str) -> Consultation | None:
        """Fill the form with stored record ``key``."""
        stored = self.ws.get(self.review_id, CONSULTATION_KIND, key)
        if stored is None:
            self._show(
                [t("consultations.form.error", self.lang, error=f"{key} not found")], ok=False
            )
            return None
        record = Consultation.from_dict(stored.data)
        self._fill(record)
        self._key, self._version = key, stored.version
        self.messages.value = ""
        return record

    def _fill(self, c: Consultation) -> None:
        valid_groups = set(get_stakeholders().ids)
        for name, widget in self.inputs.items():
            value: Any = getattr(c, name, None)
            if name == "date":
                value = c.date.isoformat() if c.date else ""
            elif name == "sdgs":
                value = ", ".join([*map(str, c.sdgs), *c.targets])
            elif name == "groups":
                value = tuple(g for g in c.groups if g in valid_groups)
            elif name in COUNT_FIELDS:
                value = "" if value is None else str(value)
            elif name in ("format", "iap2"):
                value = value or ""
                if value not in [o[1] for o in widget.options]:
                    value = ""
            elif value is None and not isinstance(widget, w.Dropdown):
                value = ""
            widget.value = value

    def clear(self) -> None:
        """Empty the form for a new consultation."""
        for name, widget in self.inputs.items():
            if name == "groups":
                widget.value = ()
            elif isinstance(widget, w.Dropdown):
                widget.value = widget.options[0][1]
            else:
                widget.value = ""
        self._key, self._version = None, None
        if self.record.value:
            self.record.value = ""
        self.messages.value = ""

    # -- saving --------------------------------------------------------------------
    def save(self) -> Consultation | None:
        """Validate and save; show problems in the form. Returns the saved record or None."""
        lang = self.lang
        record, problems = validate_consultation(self.values(), record_id=self._key)
        if problems or record is None:
            self._show(
                [t("consultations.form.invalid", lang), *self._problem_lines(problems)], ok=False
            )
            return None
        key = self._key or record.record_id
        expected = self._version if self._key else 0
        try:
            stored = self.ws.get(self.review_id, CONSULTATION_KIND, key)
            if self._key is None and stored is not None:
                self._show([t("consultations.form.exists", lang, id=key)], ok=False)
                return None
            if stored is not None and stored.data == record.to_dict():
                self._show([t("consultations.form.unchanged", lang, id=key)], ok=True)
                return record
            saved = self.ws.put(
                self.review_id,
                CONSULTATION_KIND,
                key,
                record.to_dict(),
                expected_version=expected,
                reviewer=self.reviewer,
            )
        except ConflictError as exc:
            current = exc.current
            who = getattr(current, "updated_by", "someone")
            when = getattr(current, "updated_at", "")
            if current is not None:
                self._fill(Consultation.from_dict(getattr(current, "data", {})))
                self._version = getattr(current, "version", None)
            self._show(
                [t("consultations.form.conflict", lang, who=who, id=key, when=when)], ok=False
            )
            return None
        except VlrError as exc:
            self._show([t("consultations.form.error", lang, error=str(exc))], ok=False)
            return None
        self._key, self._version = key, saved.version
        self._refresh_picker()
        self.record.unobserve(self._picked, names="value")
        self.record.value = key
        self.record.observe(self._picked, names="value")
        self._show([t("consultations.form.saved", lang, id=key, version=saved.version)], ok=True)
        return record

    def _problem_lines(self, problems: list[Problem]) -> list[str]:
        lines = []
        for p in problems:
            label = _label(p.column, self.lang) if p.column else ""
            text = f"{label}: {p.message}" if label else p.message
            if p.allowed:
                text += f" ({p.allowed})"
            lines.append(text)
        return lines

    def _show(self, lines: list[str], ok: bool) -> None:
        colour = "#1b5e20" if ok else "#b71c1c"
        head, *rest = lines
        items = "".join(f"<li>{html.escape(line)}</li>" for line in rest)
        self.messages.value = (
            f"<div style='color:{colour}'>{html.escape(head)}"
            + (f"<ul>{items}</ul>" if items else "")
            + "</div>"
        )


def consultation_form(ws: Any, review_id: str, **kwargs: Any) -> ConsultationForm:
    """Build a :class:`ConsultationForm` (notebook convenience)."""
    return ConsultationForm(ws, review_id, **kwargs)


__all__ = ["ConsultationForm", "consultation_form"]
