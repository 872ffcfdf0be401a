#!/usr/bin/python3
"""Helpers for bench/throughput.sh: input preparation, text scoring, the result table.

    bench_util.py prep  --name NAME --kind samples|corpus --src DIR --work DIR
    bench_util.py score --work DIR --tool tesseract|ocrmypdf|sohoa [--archive DIR]
    bench_util.py table RESULTS.tsv
    bench_util.py selftest

Needs Debian's python3 with python3-pil (prep only) and poppler-utils' pdftotext (score of PDFs).
CER uses ../shared/tools/textmetrics.py when it imports (it needs numpy), else the same
definition here: NFC, whitespace collapsed to single spaces, unit-cost Levenshtein over characters,
micro-averaged (sum of edits / sum of truth characters).
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_TOOLS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "tools"))
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
PAGES_PER_DOSSIER = 10          # corpus sets are cut into dossiers of this many pages


# ------------------------------------------------------------------------------ text metrics
def _own_normalize(text):
    t = unicodedata.normalize("NFC", text or "").replace("\f", " ")
    return re.sub(r"\s+", " ", t).strip()


def _own_levenshtein(a, b):
    """Unit-cost edit distance, bit-parallel (Myers/Hyyroe) on Python ints: O(len(a)*len(b)/word)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    m = len(a)
    peq = {}
    for i, c in enumerate(a):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for c in b:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


try:
    sys.path.insert(0, SHARED_TOOLS)
    import textmetrics  # noqa: E402  (needs numpy)
    normalize, levenshtein, METRICS = textmetrics.normalize, textmetrics.levenshtein, "textmetrics.py"
except Exception:  # absent, or numpy missing
    normalize, levenshtein, METRICS = _own_normalize, _own_levenshtein, "bench_util.py"
finally:
    if sys.path and sys.path[0] == SHARED_TOOLS:
        sys.path.pop(0)


def natural_key(name):
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


# ------------------------------------------------------------------------------ prep
def _frames(path):
    from PIL import Image
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def _batch_dossiers(batch):
    """[(dossier code, [file paths in natural order])] of a sohoa batch dir."""
    out = []
    for code in sorted(os.listdir(batch), key=natural_key):
        d = os.path.join(batch, code)
        if not os.path.isdir(d):
            continue
        files = [os.path.join(d, f) for f in sorted(os.listdir(d), key=natural_key)
                 if f.lower().endswith(IMAGE_EXT)]
        if files:
            out.append((code, files))
    return out


def _pdf_ready(src, dst_dir):
    """A copy img2pdf and OCRmyPDF accept and read at the right size: alpha composited onto white,
    a missing resolution set to 300 dpi (what sohoa assumes). Other files are used as they are."""
    from PIL import Image
    with Image.open(src) as im:
        has_alpha = im.mode in ("LA", "RGBA", "PA") or "transparency" in im.info
        no_dpi = not im.info.get("dpi")
        if not has_alpha and not no_dpi:
            return src
        if no_dpi and not has_alpha and im.format == "JPEG":
            raise SystemExit("prep: a JPEG without dpi is not handled: %s" % src)
        dpi = im.info.get("dpi") or (300, 300)
        out = im
        if has_alpha:
            rgba = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            out = Image.alpha_composite(white, rgba).convert("L" if im.mode == "LA" else "RGB")
        dst = os.path.join(dst_dir, os.path.splitext(os.path.basename(src))[0] + ".png")
        out.save(dst, dpi=tuple(round(v) for v in dpi))
        return dst


def cmd_prep(args):
    name, kind, src, work = args.name, args.kind, args.src, args.work
    root = os.path.join(work, name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "pdf_in"))
    rows = []  # dossier, seq, file, index_in_file, truth
    if kind == "samples":
        batch = os.path.abspath(src)
        truth_root = os.path.join(os.path.dirname(os.path.abspath(src)), "truth")
        for code, files in _batch_dossiers(batch):
            seq = 0
            for f in files:
                for k in range(_frames(f)):
                    seq += 1
                    t = os.path.join(truth_root, code, "%d.txt" % seq)
                    rows.append((code, seq, f, k, t if os.path.isfile(t) else ""))
    else:
        # a corpus set (<id>.<img> + <id>.gt.txt): cut into dossiers of PAGES_PER_DOSSIER pages
        batch = os.path.join(root, "batch")
        os.makedirs(batch)
        images = sorted((f for f in os.listdir(src) if f.lower().endswith(IMAGE_EXT)), key=natural_key)
        manifest = [["dossier_code", "title", "procedure_code", "procedure_name", "agency", "unit",
                     "level", "received_date", "applicant"]]
        for i, img in enumerate(images):
            dn, seq = divmod(i, PAGES_PER_DOSSIER)
            code = "000.00.99.H38-260101-%04d" % (dn + 1)
            seq += 1
            d = os.path.join(batch, code)
            os.makedirs(d, exist_ok=True)
            dst = os.path.join(d, "%d%s" % (seq, os.path.splitext(img)[1].lower()))
            shutil.copyfile(os.path.join(src, img), dst)
            t = os.path.join(src, os.path.splitext(img)[0] + ".gt.txt")
            rows.append((code, seq, dst, 0, t if os.path.isfile(t) else ""))
            if seq == 1:
                manifest.append([code, "Bench %s %d" % (name, dn + 1), "1.000000.000.00.00.H38",
                                 "Bench", "Bench", "Bench", "province", "2026-01-01", ""])
        with open(os.path.join(batch, "manifest.csv"), "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(manifest)
    # one input PDF per dossier for OCRmyPDF (img2pdf: lossless, pages in natural order)
    tmp = os.path.join(root, "pdf_prep")
    os.makedirs(tmp)
    by_dossier = {}
    for code, _, f, k, _ in rows:
        if k == 0:
            by_dossier.setdefault(code, []).append(f)
    for code, files in by_dossier.items():
        ready = []
        for f in files:
            sub = os.path.join(tmp, code)
            os.makedirs(sub, exist_ok=True)
            ready.append(_pdf_ready(f, sub))
        r = subprocess.run(["img2pdf", "-o", os.path.join(root, "pdf_in", code + ".pdf")] + ready,
                           capture_output=True)
        if r.returncode != 0:
            raise SystemExit("prep: img2pdf failed on %s: %s" % (code, r.stderr.decode(errors="replace")))
    with open(os.path.join(root, "pages.tsv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["dossier", "seq", "file", "index_in_file", "truth"])
        w.writerows(rows)
    with open(os.path.join(root, "batch_dir"), "w") as f:
        f.write(os.path.abspath(batch) + "\n")
    # the list of distinct source files, for tesseract alone
    with open(os.path.join(root, "files.txt"), "w", encoding="utf-8") as f:
        for r in rows:
            if r[3] == 0:
                f.write(r[2] + "\n")
    print("%d %d" % (len(rows), len(by_dossier)))


# ------------------------------------------------------------------------------ score
def _read_rows(work):
    with open(os.path.join(work, "pages.tsv"), encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _pdf_page_text(pdf, page):
    r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(page), "-l", str(page), pdf, "-"],
                       capture_output=True)
    return r.stdout.decode("utf-8", "replace") if r.returncode == 0 else None


def cmd_score(args):
    rows = _read_rows(args.work)
    edits = chars = scored = missing = 0
    pdf_bytes, pdfs = 0, set()
    tess_cache = {}
    per_page = []
    for r in rows:
        code, seq, k = r["dossier"], int(r["seq"]), int(r["index_in_file"])
        hyp = None
        if args.tool == "tesseract":
            base = os.path.join(args.work, "tess_out", os.path.relpath(r["file"], "/").replace("/", "__"))
            if base not in tess_cache:
                p = base + ".txt"
                tess_cache[base] = open(p, encoding="utf-8").read().split("\f") if os.path.isfile(p) else None
            pages = tess_cache[base]
            hyp = pages[k] if pages is not None and k < len(pages) else None
        else:
            if args.tool == "ocrmypdf":
                pdf = os.path.join(args.work, "ocrmypdf_out", code + ".pdf")
            else:
                pdf = None
                for dp, _, fs in os.walk(os.path.join(args.archive, "files")):
                    if code + ".pdf" in fs:
                        pdf = os.path.join(dp, code + ".pdf")
            if pdf and os.path.isfile(pdf):
                if pdf not in pdfs:
                    pdfs.add(pdf)
                    pdf_bytes += os.path.getsize(pdf)
                hyp = _pdf_page_text(pdf, seq)
        if not r["truth"]:
            continue
        ref = normalize(open(r["truth"], encoding="utf-8").read())
        if hyp is None:
            missing += 1
            hyp = ""
        e = levenshtein(ref, normalize(hyp))
        per_page.append((code, seq, len(ref), e, "%.4f" % (e / max(len(ref), 1))))
        edits += e
        chars += len(ref)
        scored += 1
    with open(os.path.join(args.work, "cer_%s.tsv" % args.tool), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["dossier", "seq", "truth_chars", "edits", "cer"])
        w.writerows(per_page)
    out = {"tool": args.tool, "pages": len(rows), "scored_pages": scored, "missing_pages": missing,
           "cer": (edits / chars) if chars else None, "pdf_bytes": pdf_bytes if pdfs else None,
           "metrics": METRICS}
    print(json.dumps(out))


# ------------------------------------------------------------------------------ table
def cmd_table(args):
    with open(args.results, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    head = ["set", "tool", "pages", "seconds", "pages/min", "vs tesseract", "PDF bytes/page", "CER %", "note"]
    lines = []
    base = {}
    for r in rows:
        if r["tool"].startswith("tesseract") and r["seconds"] not in ("", "-"):
            base[r["set"]] = float(r["pages"]) * 60.0 / float(r["seconds"])
    for r in rows:
        ok = r["seconds"] not in ("", "-")
        ppm = float(r["pages"]) * 60.0 / float(r["seconds"]) if ok and float(r["seconds"]) > 0 else None
        ratio = "%.2f" % (ppm / base[r["set"]]) if ppm and base.get(r["set"]) else "-"
        bpp = "%.0f" % (float(r["pdf_bytes"]) / float(r["pages"])) if r.get("pdf_bytes") not in ("", None, "-") else "-"
        cer = "%.1f" % (100.0 * float(r["cer"])) if r.get("cer") not in ("", None, "-", "None") else "-"
        lines.append([r["set"], r["tool"], r["pages"],
                      "%.1f" % float(r["seconds"]) if ok else "-", "%.1f" % ppm if ppm else "-",
                      ratio, bpp, cer, r.get("note") or ""])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    print(fmt % tuple(head))
    print(fmt % tuple("-" * w for w in widths))
    for l in lines:
        print((fmt % tuple(l)).rstrip())


def cmd_selftest(_):
    import random
    rnd = random.Random(7)

    def slow(a, b):
        d = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            p, d[0] = d[0], i
            for j, y in enumerate(b, 1):
                p, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, p + (x != y))
        return d[-1]

    for _ in range(500):
        a = "".join(rnd.choice("abđ ế") for _ in range(rnd.randint(0, 90)))
        b = "".join(rnd.choice("abđ ế") for _ in range(rnd.randint(0, 90)))
        assert _own_levenshtein(a, b) == slow(a, b), (a, b)
    assert _own_normalize("Tie\u0302\u0301ng \n\f Vi\u1ec7t ") == "Ti\u1ebfng Vi\u1ec7t"
    assert sorted(["10.jpg", "2.png", "1.jpg"], key=natural_key) == ["1.jpg", "2.png", "10.jpg"]
    print("bench_util self-test OK (metrics: %s)" % METRICS)


def main():
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", choices=["samples", "corpus"], required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--work", required=True)
    p = sub.add_parser("score")
    p.add_argument("--work", required=True)
    p.add_argument("--tool", choices=["tesseract", "ocrmypdf", "sohoa"], required=True)
    p.add_argument("--archive")
    p = sub.add_parser("table")
    p.add_argument("results")
    sub.add_parser("selftest")
    args = ap.parse_args()
    {"prep": cmd_prep, "score": cmd_score, "table": cmd_table, "selftest": cmd_selftest}[args.cmd](args)


if __name__ == "__main__":
    main()
