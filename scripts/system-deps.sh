#!/usr/bin/env bash
# Debian packages the browser and Word-conversion tests use: chromium, LibreOffice Writer,
# poppler (pdftoppm). Installed only when missing and when we can (root + apt-get).
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "${missing[@]}" fonts-dejavu-core >/dev/null
else
  echo "warning: missing ${missing[*]} (not root or no apt-get): browser/office tests will skip" >&2
fi
exit 0
