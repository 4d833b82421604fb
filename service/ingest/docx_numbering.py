"""Render Word automatic numbering ("2.7", "(a)", "iii.") that never appears in w:t text.

Legal templates number clauses with numbering.xml (directly via w:numPr or through the paragraph
style). Without the labels, "2.7 Recoupment" would reach the segmenter as "Recoupment". This
keeps one counter per (abstract numbering, level), restarts deeper levels when a shallower one
advances, and formats decimal, letters and roman numerals. Unknown formats render nothing.
"""

from __future__ import annotations

import re
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _fmt(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return ""


class Numbering:
    """Stateful label generator; call label(p) for every paragraph in document order."""

    def __init__(self, numbering_xml: Any | None, styles_xml: Any | None):
        self.levels: dict[
            str, dict[int, tuple[int, str, str]]
        ] = {}  # abstractId -> lvl -> (start, fmt, text)
        self.num_to_abstract: dict[str, str] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def _read_numbering(self, root: Any) -> None:
        for absn in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in absn.findall(f"{W}lvl"):
                start = lvl.find(f"{W}start")
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                )
            self.levels[absn.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.num_to_abstract[num.get(f"{W}numId", "")] = ref.get(f"{W}val", "")

    def _read_styles(self, root: Any) -> None:
        for style in root.iter(f"{W}style"):
            num = style.find(f"{W}pPr/{W}numPr")
            if num is not None:
                self.style_num[style.get(f"{W}styleId", "")] = _num_pr(num)

    def label(self, p: Any) -> str:
        """The rendered number of paragraph p ("" when it is not numbered)."""
        ppr = p.find(f"{W}pPr")
        ref: tuple[str, int] | None = None
        if ppr is not None and ppr.find(f"{W}numPr") is not None:
            ref = _num_pr(ppr.find(f"{W}numPr"))
        elif ppr is not None and ppr.find(f"{W}pStyle") is not None:
            ref = self.style_num.get(ppr.find(f"{W}pStyle").get(f"{W}val", ""))
        if ref is None or ref[0] in ("", "0") or ref[0] not in self.num_to_abstract:
            return ""
        abstract = self.num_to_abstract[ref[0]]
        levels = self.levels.get(abstract, {})
        if ref[1] not in levels:
            return ""
        counts = self.counters.setdefault(abstract, {})
        counts[ref[1]] = counts.get(ref[1], levels[ref[1]][0] - 1) + 1
        for deeper in [k for k in counts if k > ref[1]]:
            del counts[deeper]  # a new 2.x restarts 2.x.y
        return self._render(levels, counts, ref[1])

    def _render(
        self, levels: dict[int, tuple[int, str, str]], counts: dict[int, int], ilvl: int
    ) -> str:
        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            start, fmt, _ = levels.get(k, (1, "decimal", ""))
            return _fmt(counts.get(k, start), fmt)

        _, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        return re.sub(r"%(\d)", value, text).strip()


def _num_pr(num: Any) -> tuple[str, int]:
    num_id = num.find(f"{W}numId")
    ilvl = num.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val", "") if num_id is not None else "",
        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0,
    )
