"""Parse an annotated source file (front matter + marked-up body) into text, spans and blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from corpus_build.tables import expand_table

MARKER_RE = re.compile(r"<<(/?)([a-z0-9_-]+)((?:\s+[a-z_]+=[^\s>]+)*)\s*>>")
DIRECTIVES = {"page-break", "two-column", "scanned", "rate-table"}
HEADING_PREFIXES = (("### ", "subheading"), ("## ", "heading"), ("# ", "title"))
REQUIRED_META = ("contract_id", "title", "contract_type", "style", "split", "header", "footer")
CONTRACT_TYPES = {"payer", "employment", "vendor", "lease"}
SPLITS = {"train", "test", "sample"}  # "sample": demo documents outside the eval corpus


class SourceError(ValueError):
    """A source file breaks the format described in evals/payer/FORMAT.md."""


@dataclass
class Span:
    category: str
    start: int
    end: int
    scanned: bool = False


@dataclass
class Block:
    """One renderable unit; `text` lines are exactly as they appear in the contract text."""

    kind: str  # title|heading|subheading|para|table|page_break|two_col_start|two_col_end|scanned
    lines: list[str] = field(default_factory=list)
    start: int = 0
    rows: list[list[str]] = field(default_factory=list)  # tables: header row first


@dataclass
class Contract:
    meta: dict[str, object]
    text: str
    spans: list[Span]
    blocks: list[Block]

    @property
    def id(self) -> str:
        return str(self.meta["contract_id"])


def _split_front_matter(raw: str, path: Path) -> tuple[dict[str, object], str]:
    if not raw.startswith("---\n"):
        raise SourceError(f"{path}: missing YAML front matter")
    end = raw.find("\n---\n", 4)
    if end < 0:
        raise SourceError(f"{path}: front matter not closed by ---")
    meta = yaml.safe_load(raw[4:end]) or {}
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise SourceError(f"{path}: front matter lacks {', '.join(missing)}")
    if meta["contract_type"] not in CONTRACT_TYPES or meta["split"] not in SPLITS:
        raise SourceError(f"{path}: bad contract_type or split")
    if meta["contract_id"] != path.stem:
        raise SourceError(f"{path}: contract_id must equal the file name stem")
    return meta, raw[end + 5:]


def _attrs(raw: str) -> dict[str, str]:
    return dict(a.split("=", 1) for a in raw.split())


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.out: list[str] = []
        self.pos = 0
        self.open: dict[str, int] = {}
        self.spans: list[Span] = []
        self.blocks: list[Block] = []
        self.scan_start: int | None = None
        self.scanned_ranges: list[tuple[int, int]] = []

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += len(text)

    def directive(self, close: bool, name: str, attrs: str, lineno: int) -> None:
        where = f"{self.path}:{lineno}"
        if name == "page-break":
            self.blocks.append(Block("page_break", start=self.pos))
        elif name == "two-column":
            self.blocks.append(Block("two_col_end" if close else "two_col_start", start=self.pos))
        elif name == "scanned":
            if close == (self.scan_start is None):
                raise SourceError(f"{where}: unbalanced <<scanned>>")
            if close:
                assert self.scan_start is not None
                self.scanned_ranges.append((self.scan_start, self.pos))
                self.blocks.append(Block("scanned_end", start=self.pos))
                self.scan_start = None
            else:
                self.scan_start = self.pos
                self.blocks.append(Block("scanned_start", start=self.pos))
        elif name == "rate-table":
            rows = expand_table(_attrs(attrs))
            start = self.pos
            lines = ["  |  ".join(r) for r in rows]
            self.emit("\n".join(lines) + "\n")
            self.blocks.append(Block("table", lines=lines, start=start, rows=rows))

    def label(self, close: bool, name: str, lineno: int) -> None:
        where = f"{self.path}:{lineno}"
        if not close:
            if name in self.open:
                raise SourceError(f"{where}: <<{name}>> opened twice (same id cannot nest)")
            self.open[name] = self.pos
            return
        if name not in self.open:
            raise SourceError(f"{where}: <</{name}>> closes nothing")
        self.spans.append(Span(name, self.open.pop(name), self.pos))

    def line(self, line: str, lineno: int) -> None:
        m = MARKER_RE.fullmatch(line.strip())
        if m and m.group(2) in DIRECTIVES:
            self.directive(m.group(1) == "/", m.group(2), m.group(3), lineno)
            return
        kind = "para"
        for prefix, k in HEADING_PREFIXES:
            if line.startswith(prefix):
                kind, line = k, line[len(prefix):]
                break
        start = self.pos
        last = 0
        for m in MARKER_RE.finditer(line):
            if m.group(2) in DIRECTIVES:
                raise SourceError(f"{self.path}:{lineno}: directive must be on its own line")
            self.emit(line[last:m.start()])
            self.label(m.group(1) == "/", m.group(2), lineno)
            last = m.end()
        self.emit(line[last:] + "\n")
        visible = self.blocks[-1] if self.blocks else None
        plain = "".join(self.out)[start:self.pos - 1]
        self._add_line(kind, plain, start, visible)

    def _add_line(self, kind: str, plain: str, start: int, prev: Block | None) -> None:
        if not plain.strip():
            self.blocks.append(Block("blank", start=start))
        elif kind == "para" and plain.lstrip().startswith("|"):
            cells = [c.strip() for c in plain.strip().strip("|").split("|")]
            if prev is not None and prev.kind == "pipe_table":
                prev.lines.append(plain)
                prev.rows.append(cells)
            else:
                self.blocks.append(Block("pipe_table", [plain], start, [cells]))
        elif kind == "para" and prev is not None and prev.kind == "para":
            prev.lines.append(plain)
        else:
            self.blocks.append(Block(kind, [plain], start))


def _finish(p: _Parser) -> tuple[str, list[Span], list[Block]]:
    if p.open:
        raise SourceError(f"{p.path}: markers never closed: {', '.join(sorted(p.open))}")
    if p.scan_start is not None:
        raise SourceError(f"{p.path}: <<scanned>> never closed")
    text = "".join(p.out)
    spans = []
    for s in p.spans:
        start, end = s.start, s.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise SourceError(f"{p.path}: empty span for {s.category}")
        inside = [a <= start and end <= b for a, b in p.scanned_ranges]
        partial = [a < end and start < b for a, b in p.scanned_ranges]
        if any(partial) and not any(inside):
            raise SourceError(f"{p.path}: span {s.category} straddles a scanned block")
        spans.append(Span(s.category, start, end, any(inside)))
    spans.sort(key=lambda s: (s.start, s.end, s.category))
    blocks = [b for b in p.blocks if b.kind != "blank"]
    for b in blocks:
        if b.kind == "pipe_table":
            b.kind = "table"
    return text, spans, blocks


def parse_source(path: Path) -> Contract:
    """Parse one source file; raises SourceError on any format violation."""
    raw = path.read_text(encoding="utf-8")
    meta, body = _split_front_matter(raw, path)
    p = _Parser(path)
    for lineno, line in enumerate(body.split("\n"), start=1):
        p.line(line, lineno)
    text, spans, blocks = _finish(p)
    return Contract(meta=meta, text=text.rstrip("\n") + "\n", spans=spans, blocks=blocks)
