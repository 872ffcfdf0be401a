#!/usr/bin/env bash
# Throughput (pages/min), PDF size and OCR quality of sohoa against its peers, in one run on the
# same pages:
#   sohoa     sohoa --archive A ingest BATCH --jobs 2 --json         (fresh archive, one run)
#   tesseract tesseract IMG OUT -l vie+eng, two files at a time (xargs -P 2), OMP_THREAD_LIMIT=1
#   ocrmypdf  ocrmypdf --deskew --rotate-pages -l vie+eng --jobs 2, one input PDF per dossier
# Sets: samples/batch, and ../shared/corpus/synth_vie when present (cut into dossiers of 10 pages).
#
# usage: bench/throughput.sh [--sets "samples synth_vie"] [--no-sohoa] [--no-tesseract]
#                            [--no-ocrmypdf] [--out DIR]
#   SOHOA=path/to/sohoa   (default build/release/apps/cli/sohoa)
#   PYTHON=python with Pillow (default /usr/bin/python3)
# Needs: scripts/install-deps --bench (tesseract-ocr, ocrmypdf, img2pdf) and poppler-utils.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=${PYTHON:-/usr/bin/python3}
sohoa=${SOHOA:-$repo/build/release/apps/cli/sohoa}
util="$repo/bench/bench_util.py"
jobs=2
lang=vie+eng
corpus="$repo/../shared/corpus"
sets="samples"
[[ -d "$corpus/synth_vie" ]] && sets="samples synth_vie"
run_sohoa=1 run_tess=1 run_ocrmypdf=1
out=""

while (($#)); do
  case "$1" in
    --sets) sets="$2"; shift 2 ;;
    --no-sohoa) run_sohoa=0; shift ;;
    --no-tesseract) run_tess=0; shift ;;
    --no-ocrmypdf) run_ocrmypdf=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "throughput: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -n "$out" ]] || out=$(mktemp -d /tmp/sohoa-bench.XXXXXX)
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { echo "throughput: missing $1 ($2)" >&2; exit 2; }; }
need pdftotext "apt-get install poppler-utils"
need img2pdf "scripts/install-deps --bench"
((run_tess)) && need tesseract "scripts/install-deps --bench"
((run_ocrmypdf)) && need ocrmypdf "scripts/install-deps --bench"
"$py" -c 'import PIL' 2>/dev/null || { echo "throughput: $py has no Pillow (apt-get install python3-pil)" >&2; exit 2; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
field() { "$py" -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("-" if v is None else v)' "$1" "$2"; }

results="$out/results.tsv"
printf 'set\ttool\tpages\tseconds\tpdf_bytes\tcer\tnote\n' > "$results"
record() {  # set tool pages seconds score_json note
  local bytes=- cer=-
  if [[ -n "$5" ]]; then bytes=$(field "$5" pdf_bytes); cer=$(field "$5" cer); fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$bytes" "$cer" "$6" >> "$results"
}

echo "throughput: work dir $out"
for set in $sets; do
  case "$set" in
    samples) read -r pages dossiers < <("$py" "$util" prep --name samples --kind samples \
                                         --src "$repo/samples/batch" --work "$out") ;;
    *) [[ -d "$corpus/$set" ]] || { echo "throughput: no set $corpus/$set, skipped" >&2; continue; }
       read -r pages dossiers < <("$py" "$util" prep --name "$set" --kind corpus \
                                   --src "$corpus/$set" --work "$out") ;;
  esac
  [[ -n "${pages:-}" && -f "$out/$set/batch_dir" ]] || { echo "throughput: preparing $set failed" >&2; exit 1; }
  w="$out/$set"
  batch=$(cat "$w/batch_dir")
  echo "throughput: $set: $pages pages in $dossiers dossiers"

  # (1) sohoa ingest
  if ((run_sohoa)); then
    if [[ -x "$sohoa" ]]; then
      archive="$w/archive"
      rm -rf "$archive"
      "$sohoa" --archive "$archive" init > "$w/sohoa_init.log" 2>&1
      echo "throughput: $set: sohoa ingest --jobs $jobs ..."
      t0=$(now); rc=0
      env -u OMP_THREAD_LIMIT "$sohoa" --archive "$archive" ingest "$batch" --jobs "$jobs" --json \
        > "$w/sohoa_summary.json" 2> "$w/sohoa.log" || rc=$?
      t1=$(now)
      note=""; ((rc == 0)) || note="exit $rc, see $w/sohoa.log"
      record "$set" "sohoa --jobs $jobs" "$pages" "$(elapsed "$t0" "$t1")" \
        "$("$py" "$util" score --work "$w" --tool sohoa --archive "$archive")" "$note"
    else
      record "$set" "sohoa --jobs $jobs" "$pages" - "" "not run: no binary at $sohoa"
    fi
  fi

  # (2) tesseract alone, two files at a time, one thread each (a multi-page TIFF is one call)
  if ((run_tess)); then
    echo "throughput: $set: tesseract, $jobs at a time ..."
    mkdir -p "$w/tess_out"
    t0=$(now); rc=0
    OMP_THREAD_LIMIT=1 xargs -P "$jobs" -d '\n' -I{} sh -c \
      'tesseract "$1" "$2/$(printf %s "${1#/}" | sed "s|/|__|g")" -l "$3" >/dev/null 2>>"$2/tesseract.log"' \
      _ {} "$w/tess_out" "$lang" < "$w/files.txt" || rc=$?
    t1=$(now)
    note="text only, no PDF"; ((rc == 0)) || note="exit $rc"
    record "$set" "tesseract x$jobs" "$pages" "$(elapsed "$t0" "$t1")" \
      "$("$py" "$util" score --work "$w" --tool tesseract)" "$note"
  fi

  # (3) OCRmyPDF, one dossier PDF at a time (made by img2pdf, untimed), --jobs 2 within it
  if ((run_ocrmypdf)); then
    echo "throughput: $set: ocrmypdf --jobs $jobs ..."
    mkdir -p "$w/ocrmypdf_out"
    t0=$(now); fails=0
    for pdf in "$w"/pdf_in/*.pdf; do
      env -u OMP_THREAD_LIMIT ocrmypdf --deskew --rotate-pages -l "$lang" --jobs "$jobs" --quiet \
        "$pdf" "$w/ocrmypdf_out/$(basename "$pdf")" 2>> "$w/ocrmypdf.log" || fails=$((fails + 1))
    done
    t1=$(now)
    note=""; ((fails == 0)) || note="$fails dossier(s) failed, see $w/ocrmypdf.log"
    record "$set" "ocrmypdf --jobs $jobs" "$pages" "$(elapsed "$t0" "$t1")" \
      "$("$py" "$util" score --work "$w" --tool ocrmypdf)" "$note"
  fi
done

echo
"$py" "$util" table "$results" | tee "$out/table.txt"
echo
echo "pages/min = pages * 60 / wall seconds; CER = character error rate of the text (PDF text layer"
echo "via pdftotext -raw; tesseract's .txt) against the truth; results in $out"
