#!/usr/bin/python3
"""bench/pdf's table: bytes/page per page kind, text-layer overhead, word-box overlap.

    pdf_report.py ARCHIVE OCRMYPDF_DIR WORK_DIR
"""
import collections
import glob
import os
import re
import subprocess
import sys


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def images(pdf):
    """[(page, kind, encoded bytes, x-ppi)] from pdfimages -list."""
    out = []
    for line in run("pdfimages", "-list", pdf).splitlines()[2:]:
        cols = line.split()
        if len(cols) < 15 or cols[2] != "image":
            continue
        page, colour, bpc, enc = int(cols[0]), cols[5], int(cols[7]), cols[8]
        size = cols[14]
        mult = {"B": 1, "K": 1024, "M": 1024 * 1024}[size[-1]] if size[-1] in "BKM" else 1
        nbytes = float(size.rstrip("BKM")) * mult
        kind = "bilevel" if bpc == 1 else ("colour" if colour == "rgb" else "grey")
        out.append((page, kind, nbytes, float(cols[12])))
    return out


def per_kind(pdfs):
    """kind -> [pages, total bytes (images + fair share of the rest), text-layer bytes]."""
    table = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for pdf in pdfs:
        imgs = images(pdf)
        if not imgs:
            continue
        size = os.path.getsize(pdf)
        pages = len({p for p, *_ in imgs})
        rest = (size - sum(b for _, _, b, _ in imgs)) / pages
        for page, kind, nbytes, _ in imgs:
            row = table[kind]
            row[0] += 1
            row[1] += nbytes + rest
            row[2] += rest
    return table


def words_bbox(pdf):
    """page -> [(text, x0, y0, x1, y1)] in points."""
    pages, page = {}, 0
    for line in run("pdftotext", "-bbox", pdf, "-").splitlines():
        if "<page " in line:
            page += 1
            pages[page] = []
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            pages[page].append((m.group(5),) + tuple(float(m.group(i)) for i in range(1, 5)))
    return pages


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def unescape(text):
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def contained_x(a, b):
    """Horizontal IoU >= 0.8 and b's vertical extent inside a's (the highlight covers the ink)."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ux = max(a[2], b[2]) - min(a[0], b[0])
    return ux > 0 and ix / ux >= 0.8 and a[1] <= b[1] + 1 and a[3] >= b[3] - 1


def overlap(pdfs, work):
    """(words matched, words with IoU >= 0.8, words spanning the ink horizontally and covering it,
    words matched where the second OCR found them too (a same-text box that overlaps at all),
    those of them with IoU >= 0.8)."""
    matched = good = covering = located = located_good = 0
    for pdf in pdfs:
        layer = words_bbox(pdf)
        for page, _, _, ppi in images(pdf):
            stem = os.path.join(work, "page")
            run("pdftoppm", "-r", str(int(round(ppi))), "-f", str(page), "-l", str(page), "-png", "-singlefile", pdf, stem)
            tsv = run("tesseract", stem + ".png", "-", "-l", "vie+eng", "tsv")
            scale = 72.0 / ppi
            truth = collections.defaultdict(list)
            for line in tsv.splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
                    left, top, width, height = (float(c) * scale for c in cols[6:10])
                    truth[cols[11].strip()].append((left, top, left + width, top + height))
            for text, *box in layer.get(page, []):
                candidates = truth.get(unescape(text))
                if not candidates:
                    continue
                best = max(iou(box, c) for c in candidates)
                matched += 1
                good += best >= 0.8
                located += best > 0.0
                located_good += best >= 0.8
                covering += any(contained_x(box, c) for c in candidates)
    return matched, good, covering, located, located_good


def main():
    archive, ocrmypdf_dir, work = sys.argv[1:4]
    sohoa_pdfs = sorted(glob.glob(os.path.join(archive, "files", "**", "*.pdf"), recursive=True))
    peer_pdfs = sorted(p for p in glob.glob(os.path.join(ocrmypdf_dir, "*", "*.pdf")) if not p.endswith(".in.pdf"))
    ours, theirs = per_kind(sohoa_pdfs), per_kind(peer_pdfs)
    print(f"{'page kind':<10} {'pages':>5} {'sohoa B/page':>13} {'ocrmypdf B/page':>16} {'ratio':>6} "
          f"{'sohoa text B/page':>18} {'ocrmypdf text B/page':>21}")
    for kind in ("colour", "grey", "bilevel"):
        if kind not in ours:
            continue
        n, total, text = ours[kind]
        pn, ptotal, ptext = theirs.get(kind, [0, 0.0, 0.0])
        peer = ptotal / pn if pn else float("nan")
        print(f"{kind:<10} {n:>5} {total / n:>13,.0f} {peer:>16,.0f} {total / n / peer if pn else float('nan'):>6.2f} "
              f"{text / n:>18,.0f} {(ptext / pn if pn else float('nan')):>21,.0f}")
    all_ours = sum(v[1] for v in ours.values()) / max(1, sum(v[0] for v in ours.values()))
    all_peer = sum(v[1] for v in theirs.values()) / max(1, sum(v[0] for v in theirs.values()))
    print(f"{'all':<10} {sum(v[0] for v in ours.values()):>5} {all_ours:>13,.0f} {all_peer:>16,.0f} "
          f"{(all_ours / all_peer if all_peer else float('nan')):>6.2f}")
    print("(ocrmypdf's page kind is the kind of its own image of that page: it may keep a bilevel scan as grey)")
    matched, good, covering, located, located_good = overlap(sohoa_pdfs, work)
    share = 100.0 * good / matched if matched else float("nan")
    print(f"word boxes: {good}/{matched} words of sohoa's text layer with IoU >= 0.8 against Tesseract's boxes "
          f"on the archived page image ({share:.1f}%)")
    share = 100.0 * covering / matched if matched else float("nan")
    print(f"            {covering}/{matched} span the word's ink horizontally (IoU >= 0.8 in x) and cover it "
          f"vertically ({share:.1f}%)")
    share = 100.0 * located_good / located if located else float("nan")
    print(f"            {located_good}/{located} of the words Tesseract found again at the same place (its box with "
          f"the same text overlaps at all) have IoU >= 0.8 ({share:.1f}%); the other {matched - located} "
          f"matched only a same-text word elsewhere on the page")


if __name__ == "__main__":
    main()
