#!/usr/bin/python3
"""Writes samples/register.csv: a one-stop system's export of received dossiers for the demo.

Deterministic (fixed seed). It holds the four dossiers of samples/batch (same codes, units,
agencies, levels and dates as samples/batch/manifest.csv) and 140 dossiers that were received but
not scanned, at the three levels (districts only before 2025-07-01, when they were abolished),
in several units and agencies, from 2025-01 to 2026-06, with due and resolved dates (some late,
some still pending) and the export's own column so_bien_nhan (kept as extra metadata).
Run: /usr/bin/python3 samples/make_register.py
"""
import csv
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20260701)

PROVINCE_UNIT = "Trung tâm Phục vụ hành chính công tỉnh"
UNITS = [
    # (level, unit, [(agency code, agency, [(procedure code, procedure name)])], weight)
    ("province", PROVINCE_UNIT, [
        ("000.00.04.H38", "Sở Tài chính", [("1.001612.000.00.00.H38", "Đăng ký thành lập doanh nghiệp tư nhân"),
                                           ("2.000046.000.00.00.H38", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp")]),
        ("000.00.09.H38", "Sở Tư pháp", [("2.001417.000.00.00.H38", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam")]),
        ("000.00.12.H38", "Sở Xây dựng", [("1.009794.000.00.00.H38", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II")]),
    ], 50),
    ("district", "Bộ phận một cửa huyện Đông Hòa", [
        ("000.15.30.H38", "Phòng Tài nguyên và Môi trường", [("1.004227.000.00.00.H38", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu")]),
        ("000.16.30.H38", "Phòng Tư pháp", [("2.000908.000.00.00.H38", "Chứng thực bản sao từ bản chính giấy tờ, văn bản")]),
    ], 18),
    ("district", "Bộ phận một cửa huyện Tây Hòa", [
        ("000.15.31.H38", "Phòng Tài nguyên và Môi trường", [("1.004227.000.00.00.H38", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu")]),
    ], 10),
    ("commune", "Bộ phận một cửa xã Hòa Hiệp", [
        ("000.41.31.H38", "Ủy ban nhân dân xã Hòa Hiệp", [("1.001193.000.00.00.H38", "Đăng ký khai sinh"),
                                                          ("1.000894.000.00.00.H38", "Đăng ký kết hôn")]),
    ], 26),
    ("commune", "Bộ phận một cửa xã Hòa Tâm", [
        ("000.42.31.H38", "Ủy ban nhân dân xã Hòa Tâm", [("1.001193.000.00.00.H38", "Đăng ký khai sinh"),
                                                         ("1.001022.000.00.00.H38", "Đăng ký khai tử")]),
    ], 20),
    ("commune", "Bộ phận một cửa phường Phú Lâm", [
        ("000.43.31.H38", "Ủy ban nhân dân phường Phú Lâm", [("2.000908.000.00.00.H38", "Chứng thực bản sao từ bản chính giấy tờ, văn bản")]),
    ], 16),
]

FIELDS = ["dossier_code", "procedure_code", "procedure_name", "agency", "unit", "level",
          "received_date", "due_date", "resolved_date", "status", "so_bien_nhan"]
EXPORTED_ON = datetime.date(2026, 6, 30)
DISTRICTS_ABOLISHED = datetime.date(2025, 7, 1)


def resolution(received, days):
    due = received + datetime.timedelta(days=days)
    if due > EXPORTED_ON - datetime.timedelta(days=rng.randint(0, 20)):
        return due, None
    roll = rng.random()
    delta = -rng.randint(1, 3) if roll < 0.55 else 0 if roll < 0.8 else rng.randint(1, 6)
    return due, due + datetime.timedelta(days=delta)


def row(code, procedure, agency, unit, level, received, days, receipt):
    due, resolved = resolution(received, days)
    return {"dossier_code": code, "procedure_code": procedure[0], "procedure_name": procedure[1],
            "agency": agency, "unit": unit, "level": level, "received_date": received.isoformat(),
            "due_date": due.isoformat(), "resolved_date": resolved.isoformat() if resolved else "",
            "status": "Đã trả kết quả" if resolved else "Đang giải quyết", "so_bien_nhan": receipt}


def main():
    rows = []
    with open(os.path.join(HERE, "batch", "manifest.csv"), encoding="utf-8") as manifest:
        for demo in csv.DictReader(manifest):
            received = datetime.date.fromisoformat(demo["received_date"])
            rows.append(row(demo["dossier_code"], (demo["procedure_code"], demo["procedure_name"]),
                            demo["agency"], demo["unit"], demo["level"], received, 10,
                            demo["so_bien_nhan"]))
    demo_codes = {r["dossier_code"] for r in rows}
    weights = [u[3] for u in UNITS]
    sequence = {}
    start = datetime.date(2025, 1, 2)
    span = (EXPORTED_ON - start).days
    while len(rows) < 144:
        level, unit, agencies, _ = rng.choices(UNITS, weights)[0]
        received = start + datetime.timedelta(days=rng.randint(0, span))
        if received.weekday() >= 5 or (level == "district" and received >= DISTRICTS_ABOLISHED):
            continue
        agency_code, agency, procedures = rng.choice(agencies)
        key = (agency_code, received)
        sequence[key] = sequence.get(key, 0) + 1
        code = f"{agency_code}-{received:%y%m%d}-{sequence[key] + 100:04d}"
        if code in demo_codes:
            continue
        receipt = f"BN-{received:%Y}-{len(rows) + 1:06d}"
        rows.append(row(code, rng.choice(procedures), agency, unit, level, received,
                        rng.choice([3, 5, 7, 10, 15]), receipt))
    rows.sort(key=lambda r: (r["received_date"], r["dossier_code"]))
    with open(os.path.join(HERE, "register.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
