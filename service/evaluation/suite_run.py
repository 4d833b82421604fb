"""Run a suite end to end: review/score, compare with history, write outputs, apply gates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from service.evaluation.gates import check_gates
from service.evaluation.outputs import append_history, read_history, write_outputs
from service.evaluation.runner import git_commit, run_suite
from service.evaluation.suites import Suite
from service.library import get_library
from service.settings import Settings


def _cuad_as_result(suite: Suite, settings: Settings, log: Callable[[str], None]) -> dict:
    """CUAD suites report the official metric in the same result shape as span suites."""
    from service.evaluation.cuad import run_cuad_eval

    raw = run_cuad_eval(suite.corpus, library_dir=settings.library_dir, folds=suite.folds,
                        limit=suite.limit, out_dir=None, artifacts_dir=None, progress=log)
    o = raw["overall"]
    overall = {"aupr": o["aupr"], "p_at_80r": o["precision_at_80_recall"],
               "p_at_90r": o["precision_at_90_recall"], "recall": o["max_recall"],
               "precision": o["precision_at_80_recall"], "f1": 0.0}
    per_id = {cat: {"recall": m.get("max_recall", 0.0), "precision": m["precision_at_80_recall"],
                    "f1": 0.0, "gold": 1, "predicted": 0, "tp": 0, "aupr": m["aupr"]}
              for cat, m in raw["per_category"].items()}
    return {"suite": suite.name, "description": suite.description, "split": suite.split,
            "format": "txt", "backend": "offline", "threshold": 0.0,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(), "library_version": get_library(settings.library_dir).version,
            "prompt_version": None, "contracts": [], "clause_ids": list(per_id),
            "metrics": {"overall": overall, "per_id": per_id, "doc_recall": None,
                        "confusions": [], "curve": {"precision": [], "recall": []}},
            "stats": {"contracts": raw["contracts"], "wall_s": raw["elapsed_s"], "llm_calls": 0,
                      "prompt_tokens": 0, "completion_tokens": 0, "failed_parts": 0},
            "cuad": raw}


def execute(suite: Suite, settings: Settings, *, out_root: Path, history_path: Path,
            log: Callable[[str], None] = print) -> tuple[dict, list[str], dict]:
    """Returns (result, gate failures, output paths); history is appended after the check."""
    result = (_cuad_as_result(suite, settings, log) if suite.kind == "cuad"
              else run_suite(suite, settings, log=log))
    history = read_history(history_path, suite.name)
    failures = check_gates(result, suite.gates, history[-1] if history else None)
    stamp = result["timestamp"].replace(":", "").replace("-", "")[:15]
    paths = write_outputs(result, failures, out_root / f"{suite.name}-{stamp}", history)
    append_history(history_path, result)
    return result, failures, paths
