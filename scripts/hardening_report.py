"""Run the hardening tests and print the figures reliability.md asks to keep.

    .venv/bin/python scripts/hardening_report.py           # everything (slow: reviews, kill -9)
    .venv/bin/python scripts/hardening_report.py --fast    # the default-CI subset (~2-3 min)
    .venv/bin/python scripts/hardening_report.py --json figures.json

The figures come from tests/hardening (each test records what it tried; the conftest writes them
to $CLAUSEWISE_HARDENING_JSON) and from the JSON line printed by tests/api/test_recovery.py.
Exit status is non-zero when a test failed or a figure shows a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEXx"]
# (figure key, what was tried, what is reported, report failures instead of successes)
FIGURES = [
    ("malformed_pdfs", "malformed PDFs tried", "handled cleanly", False),
    ("malformed_docx_txt", "malformed DOCX/TXT tried", "handled cleanly", False),
    ("size_limits", "oversize / too-many-pages uploads", "refused 413 with the right code", False),
    ("auth_probes", "requests without a valid key", "refused 401", False),
    ("injection", "injection payloads tried", "verdicts unchanged", False),
    ("injection_flagged", "injection payloads tried", "reported as embedded instructions", False),
    ("injection_fooled_model", "payloads vs a fooled model", "strong findings kept", False),
    ("injection_fooled_flagged", "payloads vs a fooled model", "still reported for review", False),
    ("xss", "XSS payloads tried", "inert", False),
    ("cross_tenant", "cross-tenant probes", "leaks", True),
    ("schemathesis", "schemathesis cases", "5xx", True),
    ("schemathesis_conformance", "schemathesis responses checked", "schema violations", True),
]


def run_pytest(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run pytest, echo its last lines, return (exit code, full output)."""
    print("$ pytest " + " ".join(args), flush=True)
    proc = subprocess.run(PYTEST + args, cwd=REPO, env=env, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    tail = [ln for ln in out.splitlines()
            if re.match(r"^(FAILED|ERROR|XFAIL|XPASS)|^=* ?\d+ (passed|failed|error)", ln)]
    print("\n".join("  " + ln for ln in tail[-25:]), flush=True)
    return proc.returncode, out


def hardening_figures(fast: bool, env: dict[str, str]) -> tuple[int, dict[str, dict[str, int]]]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "figures.json"
        code, _ = run_pytest(["tests/hardening", *(["-m", "not slow"] if fast else [])],
                             {**env, "CLAUSEWISE_HARDENING_JSON": str(target)})
        figures = json.loads(target.read_text()) if target.exists() else {}
    return code, figures


def recovery_figures(env: dict[str, str]) -> tuple[int, dict[str, int] | None]:
    """Run the kill -9 test (-s so its JSON line reaches us) and parse that line."""
    code, out = run_pytest(["tests/api/test_recovery.py", "-s", "-m", "slow"], env)
    found = re.search(r'\{"kill9_runs".*?\}', out)
    return code, json.loads(found.group(0)) if found else None


def print_figures(figures: dict[str, dict[str, int]], recovery: dict[str, int] | None,
                  ran_recovery: bool) -> bool:
    """Print one line per figure; True when every figure is clean."""
    clean = True
    print("\nHardening figures")
    for key, tried_label, ok_label, inverted in FIGURES:
        fig = figures.get(key)
        if fig is None:
            print(f"  {tried_label}: not run")
            continue
        shown = fig["failed"] if inverted else fig["ok"]
        clean &= fig["failed"] == 0
        print(f"  {tried_label}: {fig['tried']} / {ok_label}: {shown}")
    if recovery:
        clean &= recovery["recovered"] == recovery["jobs"] and recovery["duplicate_findings"] == 0
        print(f"  kill -9 runs: {recovery['kill9_runs']} / jobs recovered: "
              f"{recovery['recovered']} of {recovery['jobs']} / duplicate findings: "
              f"{recovery['duplicate_findings']}")
    else:
        print("  kill -9 runs: " + ("FAILED (no figures printed)" if ran_recovery else "not run"))
        clean &= not ran_recovery
    return clean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="skip slow tests (and kill -9)")
    parser.add_argument("--no-recovery", action="store_true", help="skip the kill -9 test")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}
    code, figures = hardening_figures(args.fast, env)
    recovery, ran_recovery = None, not (args.fast or args.no_recovery)
    if ran_recovery:
        rcode, recovery = recovery_figures(env)
        code = code or rcode
    clean = print_figures(figures, recovery, ran_recovery)
    if args.json:
        args.json.write_text(json.dumps({"hardening": figures, "recovery": recovery}, indent=1))
    return 0 if code == 0 and clean else 1


if __name__ == "__main__":
    sys.exit(main())
