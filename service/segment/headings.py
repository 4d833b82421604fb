"""Recognise printed clause headings at the start of a line: numbers, titles, kinds, ranks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.records import SectionKind

_SEP = r"\s*(?:[-–—:.]\s*)?"
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_DEF = re.compile(
    r"^[“\"‘']([^”\"’']{1,80})[”\"’']\s*(?:\([^)]{0,40}\)\s*)?[,:]?\s*"
    r"(?:shall\s+)?(?:means?|has\s+the\s+meaning|have\s+the\s+meaning|shall\s+have|includes?"
    r"|refers?\s+to|is\s+defined)\b",
    re.I,
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article", re.compile(r"^(?:ARTICLE|Article)\s+([IVXLC]+|\d{1,3})\b" + _SEP)),
    (
        "exhibit",
        re.compile(
            r"^(EXHIBIT|Exhibit|SCHEDULE|Schedule|ATTACHMENT|Attachment|APPENDIX|Appendix|ADDENDUM"
            r"|Addendum|ANNEX|Annex)\s+([A-Z]{1,2}(?:-\d{1,3})?|\d{1,3})(?![.\d])\b" + _SEP
        ),
    ),
    (
        "amendment",
        re.compile(r"^(?:AMENDMENT|Amendment)\s+(?:NO\.|No\.|Number)?\s*(\d{1,3})\b" + _SEP),
    ),
    (
        "section_word",
        re.compile(
            r"^(?:SECTION|Section|Sec\.|§)\s*(\d{1,3}(?:\.\d{1,3})*(?:\([a-z0-9]{1,4}\))*)\.?"
            + _SEP
        ),
    ),
    ("decimal", re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,4})\.?(?=\s|$)\s*")),
    ("integer", re.compile(r"^(\d{1,3})[.)](?=\s|$)\s*")),
    ("paren", re.compile(r"^\(([a-z]{1,4}|[A-Z]{1,3}|\d{1,2})\)\s*")),
    ("letter", re.compile(r"^([a-z]|[A-Z])[.)](?=\s|$)\s*")),
)
_RECITAL = re.compile(r"^(WHEREAS|Whereas)\b")
_RECITALS_TITLE = re.compile(
    r"^(RECITALS|Recitals|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H)\s*:?\s*$"
)
_SIGNATURE = re.compile(
    r"^(IN WITNESS WHEREOF|In Witness Whereof|SIGNATURES?\s*:?$|SIGNATURE PAGE)"
)
_TITLE_WORD = re.compile(r"^[A-Z0-9“\"(]")
_SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
}


@dataclass
class Heading:
    """A recognised heading: printed number, kind, numbering style and rank (lower = outer)."""

    number: str | None
    kind: SectionKind
    style: str
    rank: int
    tail: str  # text after the number on the same line
    ordinal: int | None = None  # value within its style, for (h)->(i) disambiguation


def is_roman(token: str) -> bool:
    """True if token is a (lower/upper) roman numeral."""
    return bool(token) and bool(_ROMAN.match(token))


def roman_value(token: str) -> int:
    """Integer value of a roman numeral."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, prev = 0, 0
    for ch in reversed(token.lower()):
        v = values[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def match_heading(line: str) -> Heading | None:
    """Heading found at the start of a (left-stripped) line, or None."""
    if _RECITAL.match(line):
        return Heading(None, "recital", "recital", 2, line)
    if _RECITALS_TITLE.match(line):
        return Heading(None, "recital", "recitals", 1, line.strip().rstrip(":"))
    if _SIGNATURE.match(line):
        return Heading(None, "signature", "signature", -1, line)
    for name, pattern in _PATTERNS:
        m = pattern.match(line)
        if m:
            return _build(name, m, line[m.end() :])
    return None


def _build(name: str, m: re.Match[str], tail: str) -> Heading | None:
    if name == "article":
        return Heading(m.group(1), "article", "article", 0, tail)
    if name == "exhibit":
        word = m.group(1).capitalize()
        kind: SectionKind = "schedule" if word == "Schedule" else "exhibit"
        return Heading(f"{word} {m.group(2)}", kind, "exhibit", -1, tail)
    if name == "amendment":
        return Heading(f"Amendment No. {m.group(1)}", "amendment", "exhibit", -1, tail)
    if name in ("section_word", "decimal", "integer"):
        number = m.group(1)
        depth = number.count(".") + number.count("(")
        return Heading(number, "section", f"decimal{depth}", 1 + depth, tail, _first_int(number))
    return _build_list_item(name, m.group(1), tail)


def _build_list_item(name: str, token: str, tail: str) -> Heading | None:
    wrap = "({})" if name == "paren" else "{}."
    number = wrap.format(token)
    if token.isdigit():
        return Heading(number, "paragraph", "p-digit", 13, tail, int(token))
    if is_roman(token):  # may be re-read as a letter by the caller, e.g. (h) -> (i)
        style = "p-roman" if token.islower() else "p-ROMAN"
        return Heading(
            number, "paragraph", style, 11 if token.islower() else 12, tail, roman_value(token)
        )
    if len(token) > 1 and len(set(token)) > 1:
        return None  # "(ab)" is not a list marker
    style = "p-alpha" if token.islower() else "p-ALPHA"
    ordinal = (ord(token[0].lower()) - 96) + 26 * (len(token) - 1)
    return Heading(number, "paragraph", style, 10 if token.islower() else 12, tail, ordinal)


def _first_int(number: str) -> int:
    m = re.match(r"\d+", number)
    return int(m.group()) if m else 0


def as_letter(h: Heading) -> Heading:
    """Re-read a roman-looking marker ("(i)", "(v)", "(x)") as a letter of the alphabet."""
    token = h.number.strip("().") if h.number else ""
    lower = token.islower()
    ordinal = (ord(token[0].lower()) - 96) + 26 * (len(token) - 1)
    return Heading(
        h.number, h.kind, "p-alpha" if lower else "p-ALPHA", 10 if lower else 12, h.tail, ordinal
    )


def definition_term(text: str) -> str | None:
    """The defined term if text starts like '“Clean Claim” means ...'."""
    m = _DEF.match(text.strip())
    return m.group(1).strip() if m else None


def split_title(tail: str, next_line: str | None) -> str | None:
    """The printed title of a heading: same-line caption, or a caption on the next line."""
    tail = tail.strip()
    if tail:
        return _caption(tail)
    return _caption(next_line.strip()) if next_line else None


def _caption(text: str) -> str | None:
    """Leading caption such as 'TERM AND TERMINATION' or 'Recoupment.' (then body text)."""
    m = re.match(r"^([^.:;]{1,80}?)(?:[.:](?:\s|$)|\s[–—-]\s|$)", text)
    if not m:
        return None
    candidate = m.group(1).strip().strip("–—-").strip()
    words = candidate.split()
    if not words or len(words) > 10 or not _TITLE_WORD.match(candidate):
        return None
    if candidate.isupper() or all(
        w[0].isupper() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in words
    ):
        return candidate
    return None
