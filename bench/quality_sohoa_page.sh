#!/usr/bin/env bash
# One page through `sohoa ingest`, for bench/quality (harness per-page mode):
#   quality_sohoa_page.sh IMAGE OUT      -> OUT.pdf (the archived PDF/A), OUT.show.json,
#                                           OUT.catalog.txt (the OCR text as the catalog holds it),
#                                           OUT.ingest.json (the batch summary: stage_seconds)
# A fresh archive and a one-page batch in a temp folder; SOHOA = the binary; SOHOA_ARGS extra
# ingest options (e.g. --no-correct). Exit status: sohoa's.
set -euo pipefail
img=$1 out=$2
sohoa=${SOHOA:?SOHOA not set}
tmp=$(mktemp -d /tmp/sohoa-quality-page.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
code=000.00.00.H00-000000-0001
mkdir -p "$tmp/batch/$code"
ln -s "$img" "$tmp/batch/$code/001.${img##*.}"
"$sohoa" --archive "$tmp/archive" init >/dev/null
rc=0
# shellcheck disable=SC2086
"$sohoa" --archive "$tmp/archive" ingest "$tmp/batch" --jobs 1 --json ${SOHOA_ARGS:-} > "$out.ingest.json" || rc=$?
pdf=$(find "$tmp/archive" -name '*.pdf' | head -n 1)
[[ -n "$pdf" ]] && cp "$pdf" "$out.pdf"
"$sohoa" --archive "$tmp/archive" show "$code" --json > "$out.show.json" 2>/dev/null || true
"$sohoa" --archive "$tmp/archive" text "$code" > "$out.catalog.txt" 2>/dev/null || true
exit "$rc"
