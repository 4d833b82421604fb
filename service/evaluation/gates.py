"""Regression gates: thresholds per suite and drops against the previous run."""

from __future__ import annotations

from service.evaluation.suites import Gates

OVERALL = ("recall", "precision", "aupr")


def _metric(result: dict, name: str) -> float | None:
    m = result["metrics"]
    if name == "high_severity_recall":
        return m.get("high_severity", {}).get("recall")
    if name == "doc_recall":
        return m.get("doc_recall")
    return m["overall"].get(name)


def check_gates(result: dict, gates: Gates, previous: dict | None) -> list[str]:
    """Human-readable failures (empty when the run passes)."""
    failures = []
    for name in ("recall", "precision", "high_severity_recall", "aupr", "doc_recall"):
        floor = getattr(gates, name)
        value = _metric(result, name)
        if floor is not None and value is not None and value < floor:
            failures.append(f"{name} {value:.3f} is below the threshold {floor:.2f}")
    if previous is None:
        return failures
    for name in OVERALL:
        now, before = _metric(result, name), _metric(previous, name)
        if now is not None and before is not None and before - now > gates.tolerance:
            failures.append(f"{name} dropped {before:.3f} -> {now:.3f} (tolerance {gates.tolerance})")
    regressed = []
    prev_ids = previous["metrics"].get("per_id", {})
    for cid, m in result["metrics"]["per_id"].items():
        if cid in prev_ids and prev_ids[cid]["recall"] - m["recall"] > gates.id_tolerance:
            regressed.append(f"{cid} ({prev_ids[cid]['recall']:.2f} -> {m['recall']:.2f})")
    if regressed:
        failures.append("recall regressed for: " + ", ".join(regressed))
    return failures
