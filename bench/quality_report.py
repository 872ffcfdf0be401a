#!/usr/bin/env python3
"""The table of bench/quality from the harness runs it left in OUT/<tool>/<set>/pages.json."""
import argparse
import json
import os
import statistics
import sys


def catalog_cer(out, corpus, set_name, rows):
    """CER (%) of sohoa's catalog text (the OCR before the PDF text layer), or None."""
    sys.path.insert(0, os.path.join(corpus, "..", "tools"))
    import textmetrics as tm  # noqa: E402  (the corpus's own scorer)
    edits = chars = 0
    for pid in rows:
        path = os.path.join(out, "sohoa", set_name, "pages", pid + ".catalog.txt")
        if not os.path.exists(path):
            return None
        with open(os.path.join(corpus, set_name, pid + ".gt.txt"), encoding="utf-8") as f:
            counts = tm.score_pair(f.read(), open(path, encoding="utf-8").read())
        edits += counts["char_edits"]
        chars += counts["ref_chars"]
    return 100.0 * edits / chars if chars else None


def load(out, tool, set_name):
    path = os.path.join(out, tool, set_name, "pages.json")
    if not os.path.exists(path):
        return None
    return {r["id"]: r for r in json.load(open(path, encoding="utf-8"))}


def rate(rows, edits, total):
    ref = sum(r["counts"][total] for r in rows)
    return 100.0 * sum(r["counts"][edits] for r in rows) / ref if ref else float("nan")


def truth_has_text(corpus, set_name, pid):
    with open(os.path.join(corpus, set_name, pid + ".gt.txt"), encoding="utf-8") as f:
        return len(f.read().split()) >= 3


def sohoa_rotation(out, set_name, pid):
    path = os.path.join(out, "sohoa", set_name, "pages", pid + ".show.json")
    try:
        pages = json.load(open(path, encoding="utf-8"))["pages"]
        return pages[0]["rotation"], pages[0]["flags"]
    except (OSError, ValueError, KeyError, IndexError):
        return None, None


def sohoa_stages(out, set_name, pid):
    """(prepare, ocr, archive image) seconds of the page, from its ingest summary; None when
    absent (archive image 0 in summaries written before it was timed apart)."""
    path = os.path.join(out, "sohoa", set_name, "pages", pid + ".ingest.json")
    try:
        stages = json.load(open(path, encoding="utf-8"))["stage_seconds"]
        return stages["prepare"], stages["ocr"], stages.get("archive_image", 0.0)
    except (OSError, ValueError, KeyError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--sets", required=True)
    ap.add_argument("--tools", required=True)
    a = ap.parse_args()
    tools = a.tools.split()
    print("| set | tool | pages | CER % | CER no-diac % | WER % | WER no-diac % "
          "| skew median / worst ° | upright (OSD) | CPU s/page |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    worse = []
    notes = []
    for set_name in a.sets.split():
        runs = {t: load(a.out, t, set_name) for t in tools}
        for tool in tools:
            rows = runs[tool]
            if rows is None:
                print(f"| {set_name} | {tool} | not run |  |  |  |  |  |  |  |")
                continue
            rs = list(rows.values())
            text_rows = [r for r in rs if truth_has_text(a.corpus, set_name, r["id"])]
            skews = [abs(r["skew_out"]) for r in text_rows if r.get("skew_out") is not None]
            skew = (f"{statistics.median(skews):.2f} / {max(skews):.2f}" if skews else "")
            osd = [r for r in text_rows if r.get("osd_rotate") is not None]
            upright = f"{sum(1 for r in osd if r['osd_rotate'] == 0)}/{len(osd)}"
            cpu = [r["cpu_s"] for r in rs if r.get("cpu_s") is not None]
            failed = sum(1 for r in rs if r.get("rc", 0) != 0)
            npages = f"{len(rs)}" + (f" ({failed} failed)" if failed else "")
            print(f"| {set_name} | {tool} | {npages} | {rate(rs, 'char_edits', 'ref_chars'):.2f} "
                  f"| {rate(rs, 'char_edits_nodiac', 'ref_chars'):.2f} "
                  f"| {rate(rs, 'word_edits', 'ref_words'):.1f} "
                  f"| {rate(rs, 'word_edits_nodiac', 'ref_words'):.1f} | {skew} | {upright} "
                  f"| {statistics.mean(cpu) if cpu else float('nan'):.2f} |")
        sohoa = runs.get("sohoa")
        if sohoa and catalog_cer(a.out, a.corpus, set_name, sohoa) is not None:
            notes.append(f"{set_name}: sohoa CER of the catalog text (OCR before the PDF text "
                         f"layer): {catalog_cer(a.out, a.corpus, set_name, sohoa):.1f}%")
        if sohoa:
            right = wrong = turned_blank = 0
            for pid, r in sohoa.items():
                meta = json.load(open(os.path.join(a.corpus, set_name, pid + ".json"),
                                      encoding="utf-8"))
                rot, flags = sohoa_rotation(a.out, set_name, pid)
                want = meta.get("rotation_ccw", 0)
                if not truth_has_text(a.corpus, set_name, pid):
                    turned_blank += 1 if rot not in (None, 0) else 0
                elif rot == want:
                    right += 1
                else:
                    wrong += 1
                    notes.append(f"{set_name}/{pid}: sohoa turned {rot}, truth {want} ({flags})")
            notes.append(f"{set_name}: sohoa rotation = truth on {right}/{right + wrong} text pages;"
                         f" textless pages turned: {turned_blank}")
            stages = {pid: sohoa_stages(a.out, set_name, pid) for pid in sohoa}
            stages = {pid: st for pid, st in stages.items() if st and st[1] > 0}
            if stages:
                prepare = sum(st[0] for st in stages.values())
                ocr = sum(st[1] for st in stages.values())
                worst = max(stages.items(), key=lambda item: item[1][0] / item[1][1])
                over = sorted(pid for pid, st in stages.items() if st[0] > 0.15 * st[1])
                notes.append(f"{set_name}: sohoa pre-processing = {100.0 * prepare / ocr:.1f}% of "
                             f"its OCR time over {len(stages)} pages (worst page {worst[0]}: "
                             f"{100.0 * worst[1][0] / worst[1][1]:.1f}%; target <= 15%; pages over it: "
                             f"{len(over)}{' ' + ', '.join(over) if over else ''}); the archive image "
                             f"(JPEG re-packed or page encoded) "
                             f"{100.0 * sum(st[2] for st in stages.values()) / ocr:.1f}% more")
            peers = [t for t in tools if t != "sohoa" and runs.get(t)]
            for pid, r in sorted(sohoa.items()):
                mine = 100.0 * r["rates"]["cer"]
                best = min((100.0 * runs[t][pid]["rates"]["cer"], t) for t in peers
                           if pid in runs[t]) if peers else None
                if best and mine > best[0] + 0.5:
                    worse.append(f"{set_name}/{pid}: sohoa {mine:.2f}% vs {best[1]} {best[0]:.2f}%")
    print()
    for line in notes:
        print(line)
    print()
    print("pages where sohoa's CER is more than 0.5 points above the best peer's:"
          + ("" if worse else " none"))
    for line in worse:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
