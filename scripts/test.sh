#!/usr/bin/env bash
# README command 2: install (if needed) and run the test suite: library lint, ruff, mypy,
# pytest (slow tests excluded), and the smoke eval suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/system-deps.sh
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1
.venv/bin/clausewise library lint
.venv/bin/ruff check service tests evals benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -m "not slow" -q "$@"
