"""Turn cell values as people type them into typed values, or say what is wrong.

Each parser returns ``(value, error)``: ``error`` is None when the cell is
fine, else ``(message, allowed)`` for a :class:`~vlr_tools.errors.Problem`.
They never raise on bad input. The importer calls them once per distinct cell
value (a log repeats its values a lot), which keeps 50,000 rows fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from ..stakeholders import Stakeholders, normalise_text
from ..workbook import CellError, Formula, serial_to_datetime
from .vocab import Engagement

Error = tuple[str, str] | None

#: The 2030 Agenda was adopted on 25 September 2015; an SDG consultation
#: dated earlier is almost certainly a typing slip.
EARLIEST_DATE = dt.date(2015, 9, 25)
DATE_FORMS = (
    "a date such as 2024-11-28, 28 Nov 2024, Nov 28, 2024, 28/11/2024 or Nobyembre 28, 2024"
)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan enero ene",
        "february feb febrero pebrero peb",
        "march mar marso",
        "april apr abril abr",
        "may mayo",
        "june jun junio hunyo",
        "july jul julio hulyo",
        "august aug agosto ago",
        "september sep sept setyembre septiembre set",
        "october oct oktubre octubre okt",
        "november nov nobyembre noviembre nob",
        "december dec disyembre diciembre dis",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s.*)?$")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lunes", "martes", "miyerkules", "huwebes", "biyernes", "sabado", "linggo",
}  # fmt: skip


def _year(text: str) -> int:
    value = int(text)
    return 2000 + value if len(text) == 2 else value


def parse_date(
    value: object, *, dayfirst: bool | None = None, today: dt.date | None = None
) -> tuple[dt.date | None, Error]:
    """A date from a cell: a real date, an Excel serial number or typed text.

    Day/month order: 28/11/2024 is unambiguous; 03/04/2024 is reported as
    ambiguous unless ``dayfirst`` says which way the office writes dates.
    Ranges ("28-29 Nov 2024") give their first day. Future dates and dates
    before the 2030 Agenda (25 Sep 2015) are errors.
    """
    today = today or dt.date.today()
    if value is None:
        return None, None
    if isinstance(value, Formula):
        return None, ("a formula, not a date; type the date itself", DATE_FORMS)
    if isinstance(value, CellError):
        return None, (f"the cell shows the Excel error {value}", DATE_FORMS)
    result: dt.date | None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, bool):
        return None, ("not a date", DATE_FORMS)
    elif isinstance(value, int | float):
        if 20000 <= value <= 80000:  # an Excel serial number in a text-formatted column
            result = serial_to_datetime(value).date()
        else:
            return None, ("a number, not a date", DATE_FORMS)
    else:
        parsed = _parse_date_text(str(value), dayfirst)
        if isinstance(parsed, tuple):
            return None, parsed
        result = parsed
    if result is None:
        return None, None
    if result > today:
        return result, (
            "date is in the future",
            f"a date on or before today ({today.isoformat()})",
        )
    if result < EARLIEST_DATE:
        return result, (
            "date is before the 2030 Agenda was adopted (25 Sep 2015)",
            "a date from 25 Sep 2015 on",
        )
    return result, None


def _parse_date_text(text: str, dayfirst: bool | None) -> dt.date | None | tuple[str, str]:
    raw = " ".join(text.split())
    if not raw:
        return None
    match = _ISO.match(raw)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    # Date ranges typed as "28/11/2024 - 29/11/2024": keep the first date.
    first = re.split(r"\s+(?:-|–|to|hanggang)\s+", raw)[0]
    match = _NUMERIC.match(first)
    if match:
        a, b, year = int(match[1]), int(match[2]), _year(match[3])
        if a > 12 and b <= 12:
            return _make_date(year, b, a)
        if b > 12 and a <= 12:
            return _make_date(year, a, b)
        if a == b or dayfirst is not None:
            day_no, month_no = (a, b) if dayfirst or a == b else (b, a)
            return _make_date(year, month_no, day_no)
        return (
            f"ambiguous date: {first} could be {a} {_month_name(b)} or {b} {_month_name(a)}",
            "an unambiguous date (2024-04-03 or 3 Apr 2024), or import with dayfirst set "
            "(CLI: --dayfirst or --monthfirst)",
        )
    tokens = [t.casefold() for t in _TOKENS.findall(raw)]
    tokens = [t for t in tokens if t not in _WEEKDAYS and t not in ("ng", "de", "of", "ika")]
    month = None
    numbers: list[str] = []
    for token in tokens:
        if token.isdigit():
            numbers.append(token)
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif re.fullmatch(r"\d+(st|nd|rd|th)", token):
            numbers.append(re.sub(r"\D", "", token))
        elif token in ("st", "nd", "rd", "th"):
            continue
        else:
            return ("not a date", DATE_FORMS)
    if month is None:
        return ("not a date (no month found)", DATE_FORMS)
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2 and 1 <= int(n) <= 31]
    if not years:
        two_digit = [n for n in numbers if len(n) == 2]
        if len(days) >= 2 and two_digit and numbers[-1] == two_digit[-1]:
            years = [numbers[-1]]  # "28-Nov-24"
            days = [d for d in days[:-1]]
        else:
            return ("the year is missing", DATE_FORMS)
    if not days:
        return ("the day is missing", DATE_FORMS)
    return _make_date(_year(years[0]), month, int(days[0]))


#: How a date cell was written, as the "what I understood" report counts them.
DATE_WRITINGS = (
    "typed", "serial", "iso", "day_first", "month_first", "same", "either", "month_name",
    "other",
)  # fmt: skip


def date_writing(value: object) -> str:
    """How a (non-blank) date cell was written: one of :data:`DATE_WRITINGS`.

    ``typed`` is a cell Excel keeps as a date, ``serial`` an Excel date number
    in a text cell, ``iso`` 2024-11-28, ``day_first`` 28/11/2024,
    ``month_first`` 11/28/2024, ``same`` 05/05/2024 (the same either way),
    ``either`` 03/04/2024 (day or month first: the file's rule decides),
    ``month_name`` 28 Nov 2024 or Nobyembre 28, 2024, ``other`` anything else.
    """
    if isinstance(value, dt.date):
        return "typed"
    if isinstance(value, bool) or isinstance(value, Formula | CellError):
        return "other"
    if isinstance(value, int | float):
        return "serial" if 20000 <= value <= 80000 else "other"
    raw = " ".join(str(value).split())
    if _ISO.match(raw):
        return "iso"
    first = re.split(r"\s+(?:-|–|to|hanggang)\s+", raw)[0]
    match = _NUMERIC.match(first)
    if match:
        a, b = int(match[1]), int(match[2])
        if a > 12 >= b:
            return "day_first"
        if b > 12 >= a:
            return "month_first"
        return "same" if a == b else "either"
    if any(t.casefold() in _MONTHS for t in _TOKENS.findall(raw)):
        return "month_name"
    return "other"


def _make_date(year: int, month: int, day: int) -> dt.date | tuple[str, str]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return (f"no such day: {year:04d}-{month:02d}-{day:02d}", DATE_FORMS)


def _month_name(month: int) -> str:
    return dt.date(2000, month, 1).strftime("%b") if 1 <= month <= 12 else str(month)


_COUNT_NOISE = re.compile(
    r"^(?:approx\.?|approximately|about|around|ca\.?|~|mga|humigit-kumulang)\s*|"
    r"\s*(?:pax|participants?|persons?|people|katao|kalahok|attendees)\.?$",
    re.IGNORECASE,
)
COUNT_ALLOWED = "a whole number of people, 0 or more (e.g. 12), or leave the cell empty"


def parse_count(value: object, engagement: Engagement) -> tuple[int | None, Error]:
    """A participant count: a whole number >= 0; blank means not recorded."""
    if value is None:
        return None, None
    if isinstance(value, Formula):
        return None, ("a formula, not a number; type the count itself", COUNT_ALLOWED)
    if isinstance(value, bool) or isinstance(value, CellError | dt.date):
        return None, ("not a number", COUNT_ALLOWED)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if engagement.is_blank(text):
            return None, None
        text = _COUNT_NOISE.sub("", text).replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            return None, ("not a number", COUNT_ALLOWED)
    if number != number or number in (float("inf"), float("-inf")):
        return None, ("not a number", COUNT_ALLOWED)
    if number < 0:
        return None, ("a negative count", COUNT_ALLOWED)
    if not number.is_integer():
        return None, ("not a whole number", COUNT_ALLOWED)
    return int(number), None


FLAG_ALLOWED = "Yes or No (also Oo/Hindi, Y/N, 1/0), or leave the cell empty"


def parse_flag(value: object, engagement: Engagement) -> tuple[bool | None, Error]:
    """A yes/no cell ("PWD present?"): True, False or None when blank."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, Formula | CellError):
        return None, ("a formula or error, not Yes/No", FLAG_ALLOWED)
    if isinstance(value, int | float):
        if value == 0:
            return False, None
        if value > 0 and float(value).is_integer():
            return True, None  # a count of PWD participants means "present"
        return None, ("not Yes/No", FLAG_ALLOWED)
    text = str(value).strip()
    if engagement.is_blank(text) and normalise_text(text) not in engagement.no:
        return None, None
    flag = engagement.flag(text)
    if flag is None:
        # "Yes (3)", "Oo - 2 PWD", "3 PWDs": judge by the first word or number
        words = normalise_text(text).split()
        if words:
            flag = engagement.flag(words[0])
            if flag is None and words[0].isdigit():
                flag = int(words[0]) > 0
    if flag is None:
        return None, ("not Yes/No", FLAG_ALLOWED)
    return flag, None


_GROUP_SPLIT = re.compile(r"[;,\n|•·]+|\s+-\s+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_COUNT_SUFFIX = re.compile(r"[:=]?\s*\d+\s*(?:pax|participants?|persons?)?\.?$", re.IGNORECASE)


def parse_groups(
    value: object, stakeholders: Stakeholders
) -> tuple[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]:
    """Stakeholder group ids named in a cell, and the parts that name no group.

    Splits at ";", ",", new lines and "|"; a part such as "Fisherfolk /
    Mangingisda" or "Women (12)" is tried whole, without the bracket, and
    split at "/" and "&". Unknown parts come back with the closest groups.
    """
    if value is None or isinstance(value, bool):
        return (), []
    text = str(value)
    ids: list[str] = []
    unknown: list[tuple[str, tuple[str, ...]]] = []
    for part in _split_outside_brackets(text):
        part = part.strip()
        if not part:
            continue
        found = _resolve_group(part, stakeholders)
        if not found:
            unknown.append((part, stakeholders.suggest(_PAREN.sub("", part))))
        for gid in found:
            if gid not in ids:
                ids.append(gid)
    return tuple(ids), unknown


def _split_outside_brackets(text: str) -> list[str]:
    """Split at the list separators that are not inside brackets:
    "Farmers (IP, self-identified); Women" -> ["Farmers (IP, self-identified)", "Women"]."""
    parts: list[str] = []
    depth = 0
    start = 0
    masked = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        masked.append("x" if depth and ch not in "([)]" else ch)
    masked_text = "".join(masked)
    for match in _GROUP_SPLIT.finditer(masked_text):
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


def _resolve_group(part: str, stakeholders: Stakeholders) -> list[str]:
    for candidate in (part, _PAREN.sub("", part), _COUNT_SUFFIX.sub("", _PAREN.sub("", part))):
        gid = stakeholders.resolve(candidate)
        if gid:
            return [gid]
    # "Fisherfolk / Mangingisda", "Women & girls", "Senior citizens at PWD"
    pieces = [p for p in re.split(r"/|&|\+|\s+at\s+|\s+and\s+", _PAREN.sub("", part)) if p.strip()]
    if len(pieces) > 1:
        found = [stakeholders.resolve(p) for p in pieces]
        if all(found):
            out: list[str] = []
            for gid in found:
                if gid and gid not in out:
                    out.append(gid)
            return out
    # "Fisherfolk (Mangingisda)": the bracket names the group
    for inner in re.findall(r"\(([^)]*)\)", part):
        gid = stakeholders.resolve(inner)
        if gid:
            return [gid]
    return []


SDG_ALLOWED = (
    "goal numbers 1-17 (e.g. 6, 11, SDG 13), target codes such as 11.6 or 11.b, or "
    "indicator codes such as 11.6.2 that exist in the SDG framework "
    "(look them up with 'vlr framework search')"
)
# A goal number, a range of goals ("1-5"), or a dotted code with every part
# taken at once ("11.6", "11.6.2", "11.6.9.1"), so a code is never read as
# just its goal.
_SDG_TOKEN = re.compile(
    r"(?<![\d.])(\d+)(?:\s*(?:-|–|to)\s*(\d+)(?![\d.])|((?:\.[0-9a-z]+)+)(?!\w))?",
    re.IGNORECASE,
)


def _sdg_checker():
    """A function telling whether a target code exists.

    Uses the SDG framework when its data is available; until then (or if the
    data files are broken) falls back to the code pattern: numbered targets
    1-19 or lettered targets a-g under goals 1-17.
    """
    try:
        from ..framework import get_framework

        fw = get_framework()
        codes = {t.code for t in fw.targets}
        if codes:
            return lambda code: code in codes
    except Exception:  # noqa: BLE001 - the framework is optional here
        pass
    pattern = re.compile(r"(?:[1-9]|1[0-7])\.(?:[1-9]|1[0-9]|[a-g])")
    return lambda code: bool(pattern.fullmatch(code))


@lru_cache(maxsize=1)
def target_exists():
    return _sdg_checker()


@lru_cache(maxsize=1)
def indicator_targets() -> Callable[[str], tuple[str, ...] | None]:
    """A function giving the targets of an indicator code, or None if there is no such indicator.

    Uses the SDG framework's indicators (an indicator repeated under several
    targets answers to each of its codes); without framework data, falls back
    to the code pattern under an existing target.
    """
    try:
        from ..framework import get_framework

        known = {code: ind.targets for ind in get_framework().indicators for code in ind.codes}
        if known:
            return known.get
    except Exception:  # noqa: BLE001 - the framework is optional here
        pass
    exists = target_exists()

    def by_pattern(code: str) -> tuple[str, ...] | None:
        target, _, number = code.rpartition(".")
        ok = exists(target) and number.isdigit() and 1 <= int(number) <= 20
        return (target,) if ok else None

    return by_pattern


def _code(first: str, dotted: str) -> str:
    """``"11"`` + ``".06.B"`` -> ``"11.6.b"``: the code as the framework writes it."""
    parts = [first, *dotted.lstrip(".").split(".")]
    return ".".join(str(int(p)) if p.isdigit() else p.lower() for p in parts)


def parse_sdgs(value: object) -> tuple[tuple[int, ...], tuple[str, ...], list[str]]:
    """Goals and targets named in a cell ("SDG 6, 11.6; 13", "1-5", "11.6.2", "All SDGs").

    Returns (goals, targets, unknown codes). Goals include the goals of the
    targets named, so "11.6" alone counts as discussing SDG 11; an indicator
    code counts as its target(s) and goal. A code the SDG framework does not
    have (target 5.9, indicator 11.6.9) is unknown, never read as its goal.
    """
    if value is None or isinstance(value, bool | CellError):
        return (), (), []
    if isinstance(value, Formula):
        return (), (), [str(value)]
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, float):
        value = repr(value)
    text = str(value)
    if re.search(r"\ball\s*(?:17\s*)?(?:sdgs|goals)\b|\blahat\b", text, re.IGNORECASE):
        return tuple(range(1, 18)), (), []
    goals: set[int] = set()
    targets: list[str] = []
    bad: list[str] = []
    exists = target_exists()
    for match in _SDG_TOKEN.finditer(text):
        first, last, dotted = match[1], match[2], match[3]
        if dotted:
            code = _code(first, dotted)
            depth = code.count(".")
            found: tuple[str, ...] | None = None
            if depth == 1:
                found = (code,) if exists(code) else None
            elif depth == 2:
                found = indicator_targets()(code)
                own = code.rpartition(".")[0]
                # A repeated indicator (13.1.1 = 1.5.1 = 11.5.1) counts under the target written.
                found = (own,) if found and own in found else found
            if not found:
                bad.append(match[0])
                continue
            for target in found:
                goals.add(int(target.split(".")[0]))
                if target not in targets:
                    targets.append(target)
        elif last:
            low, high = int(first), int(last)
            if 1 <= low <= high <= 17:
                goals.update(range(low, high + 1))
            else:
                bad.append(match[0])
        elif 1 <= int(first) <= 17:
            goals.add(int(first))
        else:
            bad.append(match[0])
    if not goals and not bad and text.strip():
        bad.append(text.strip())
    return tuple(sorted(goals)), tuple(targets), bad
