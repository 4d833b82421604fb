#!/usr/bin/env bash
# README command 2: install (if needed) and run the test suite: library lint, ruff, mypy,
# pytest (slow tests excluded), and the smoke eval suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/system-deps.sh
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1
.venv/bin/clausewise library lint
.venv/bin/ruff check service tests evals benchmarks samples
.venv/bin/mypy
# smoke eval suite: two train contracts end to end through the real pipeline, gates applied
smoke_out="$(mktemp -d)"
.venv/bin/clausewise eval run smoke --out "$smoke_out"
.venv/bin/python -m pytest -m "not slow" -q "$@"
