"""Eval outputs: result JSON, HTML report with SVG charts, JUnit XML, history JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
HISTORY_KEYS = ("suite", "timestamp", "git_commit", "library_version", "prompt_version",
                "backend", "split", "format", "threshold")


def history_record(result: dict) -> dict:
    """The slim record appended to the history file."""
    rec = {k: result.get(k) for k in HISTORY_KEYS}
    m = result["metrics"]
    rec["metrics"] = {"overall": m["overall"], "doc_recall": m.get("doc_recall"),
                      "high_severity": m.get("high_severity", {}),
                      "per_id": {k: {"recall": v["recall"], "precision": v["precision"]}
                                 for k, v in m.get("per_id", {}).items()}}
    return rec


def read_history(path: Path, suite: str) -> list[dict]:
    """Past records of one suite, oldest first."""
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("suite") == suite]


def append_history(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(history_record(result)) + "\n")


def junit_xml(result: dict, failures: list[str]) -> bytes:
    """One testcase per clause id (fails when recall is 0 with gold present) plus the gates."""
    per_id = result["metrics"].get("per_id", {})
    suite = ET.Element("testsuite", name=f"clausewise-eval-{result['suite']}")
    n_fail = 0
    for cid, m in sorted(per_id.items()):
        case = ET.SubElement(suite, "testcase", classname=result["suite"], name=cid)
        if m["gold"] and m["recall"] == 0:
            ET.SubElement(case, "failure", message=f"{cid}: none of {m['gold']} gold spans found")
            n_fail += 1
    gate = ET.SubElement(suite, "testcase", classname=result["suite"], name="gates")
    if failures:
        ET.SubElement(gate, "failure", message="; ".join(failures))
        n_fail += 1
    suite.set("tests", str(len(per_id) + 1))
    suite.set("failures", str(n_fail))
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True)


def _bars(per_id: dict) -> list[dict]:
    return [{"id": k, "recall": v["recall"], "gold": v["gold"]}
            for k, v in sorted(per_id.items(), key=lambda kv: kv[1]["recall"]) if v["gold"]]


def render_report(result: dict, history: list[dict], failures: list[str]) -> bytes:
    """HTML report: headline metrics, per-clause recall bars, PR curve, trend."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(default=True, enabled_extensions=("j2",)))
    curve = result["metrics"]["curve"]
    points = " ".join(f"{40 + r * 400:.1f},{260 - p * 240:.1f}"
                      for p, r in zip(curve["precision"], curve["recall"], strict=True))
    trend = [(h["timestamp"][:16], h["metrics"]["overall"].get("recall", 0),
              h["metrics"]["overall"].get("precision", 0)) for h in history[-30:]]
    html = env.get_template("eval_report.html.j2").render(
        r=result, bars=_bars(result["metrics"].get("per_id", {})), pr_points=points,
        trend=trend, failures=failures)
    return html.encode("utf-8")


def write_outputs(result: dict, failures: list[str], out_dir: Path, history: list[dict]) -> dict:
    """Write result.json, report.html and junit.xml; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "result.json", "html": out_dir / "report.html",
             "junit": out_dir / "junit.xml"}
    body = dict(result, gate_failures=failures)
    paths["json"].write_text(json.dumps(body, indent=1), encoding="utf-8")
    paths["html"].write_bytes(render_report(result, history, failures))
    paths["junit"].write_bytes(junit_xml(result, failures))
    return {k: str(v) for k, v in paths.items()}
