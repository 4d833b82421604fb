#!/usr/bin/env bash
# README command 1: install everything and review the bundled sample payer contract offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p out
.venv/bin/clausewise review samples/sample-payer-agreement.pdf --format html -o out/sample-report.html
.venv/bin/clausewise review samples/sample-payer-agreement.pdf --format json -o out/sample-report.json
echo "Report written to $(pwd)/out/sample-report.html (JSON: out/sample-report.json)"
