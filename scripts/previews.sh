#!/usr/bin/env bash
# Render the sample contract's reports and make pictures of them for a person to look at:
#   out/previews/report-desktop.png, report-phone.png (Chromium), redline-N.png (LibreOffice).
# Usage: scripts/previews.sh [CONTRACT]   (default: the bundled sample payer agreement)
set -euo pipefail
cd "$(dirname "$0")/.."
contract="${1:-samples/sample-payer-agreement.pdf}"
out=out/previews
mkdir -p "$out"
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1
.venv/bin/clausewise review "$contract" --format html -o "$out/report.html"
.venv/bin/clausewise review "$contract" --format docx -o "$out/redline.docx"
.venv/bin/clausewise review "$contract" --format md -o "$out/report.md"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$(mktemp -d)" --hide-scrollbars)
chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$out/report-desktop.png" \
  "file://$(pwd)/$out/report.html" 2>/dev/null
chromium "${flags[@]}" --window-size=390,2400 --screenshot="$out/report-phone.png" \
  "file://$(pwd)/$out/report.html" 2>/dev/null
soffice --headless "-env:UserInstallation=file://$(mktemp -d)" \
  --convert-to 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}' \
  --outdir "$out" "$out/redline.docx" >/dev/null
pdftoppm -r 70 -png -f 1 -l 4 "$out/redline.pdf" "$out/redline"
ls -1 "$out"
