// Vietnamese wording and vi-VN formatting shared by every page.

const numberFormat = new Intl.NumberFormat('vi-VN');
const percentFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZone: 'Asia/Ho_Chi_Minh',
});

// 1234 -> "1.234"; null or undefined -> "–".
export function formatNumber(value) {
  return value === null || value === undefined ? '–' : numberFormat.format(value);
}

// 45.5 -> "45,5 %"; null -> "–" (no target set).
export function formatPercent(value) {
  return value === null || value === undefined ? '–' : `${percentFormat.format(value)} %`;
}

// "2026-03-02" -> "02/03/2026". A timestamp with a time ("2026-03-02T08:15:00Z") gets the time too,
// in Vietnam's time zone. Empty -> "–"; text that is not a date is shown as it is.
export function formatDate(text) {
  if (!text) {
    return '–';
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(parsed.getTime())) {
    return text;
  }
  return dateOnly ? dateFormat.format(parsed) : dateTimeFormat.format(parsed);
}

// "2026-03" -> "03/2026".
export function formatMonth(text) {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  return match ? `${match[2]}/${match[1]}` : text;
}

// A date typed the Vietnamese way, "2/3/2026" or "02/03/2026" (day/month/year), or already
// "2026-03-02" -> "2026-03-02"; empty -> ''; anything else -> null.
export function parseDate(text) {
  const trimmed = (text ?? '').trim();
  if (!trimmed) {
    return '';
  }
  const vietnamese = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (!vietnamese && !iso) {
    return null;
  }
  const [year, month, day] = vietnamese ? [vietnamese[3], vietnamese[2], vietnamese[1]] : iso.slice(1);
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  // 31/02/2026 parses as 3 March: not a date.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : null;
}

export const roleNames = {
  admin: 'Quản trị viên',
  archivist: 'Lưu trữ viên',
  official: 'Cán bộ lãnh đạo',
  operator: 'Nhân viên số hóa',
};

export const levelNames = {
  province: 'Cấp tỉnh',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
  unknown: 'Chưa rõ cấp',
};

// A failure or page outcome code as the pipeline stores it -> Vietnamese.
export const reasonNames = {
  unreadable: 'Không đọc được tệp ảnh',
  empty_file: 'Tệp rỗng',
  unsupported: 'Định dạng ảnh không hỗ trợ',
  ocr_failed: 'Nhận dạng chữ (OCR) thất bại',
  io_error: 'Lỗi đọc tệp',
  blank: 'Trang trắng',
  low_confidence: 'Độ tin cậy OCR thấp',
  not_in_manifest: 'Không có trong danh mục (manifest)',
};

export function reasonName(code) {
  return reasonNames[code] ?? code;
}

// Page flags as `sohoa show` lists them ("dpi-assumed,blurred") -> Vietnamese.
const flagNames = {
  'dpi-assumed': 'tệp không ghi độ phân giải (coi là 300 dpi)',
  'orientation-uncertain': 'chưa chắc chiều trang',
  blank: 'trang trắng',
  'low-confidence': 'độ tin cậy OCR thấp',
  'low-resolution': 'độ phân giải dưới 200 dpi',
  'too-dark': 'ảnh quá tối',
  'too-light': 'ảnh quá nhạt',
  blurred: 'ảnh mờ',
  'cut-off': 'chữ sát mép ảnh',
  'left-out': 'trang trắng không đưa vào PDF',
};

export function flagsText(flags) {
  return (flags ?? '').split(',').filter(Boolean).map((flag) => flagNames[flag] ?? flag).join(', ');
}

// The reasons a page is to be rescanned, as the ingest words them ("blurred: rescan with the sheet
// flat on the glass; low OCR confidence (54%)") -> Vietnamese; a reason not known stays as it is.
const rescanReasons = [
  [/^text runs off an edge of the scan.*$/, () => 'chữ sát mép ảnh (bị cắt): đặt trọn tờ giấy vào vùng quét'],
  [/^too dark.*$/, () => 'ảnh quá tối: quét lại sáng hơn'],
  [/^too light.*$/, () => 'ảnh quá nhạt, mực mờ: quét lại đậm hơn'],
  [/^blurred.*$/, () => 'ảnh mờ: quét lại, đặt tờ giấy phẳng trên mặt kính'],
  [/^low OCR confidence \((\d+)%\)$/, (match) => `độ tin cậy OCR thấp (${match[1]} %)`],
  [/^scanned at (\d+) dpi.*$/, (match) => `quét ở ${match[1]} dpi, dưới mức tối thiểu 200 dpi: quét lại ở 300 dpi`],
  [/^too little text to tell which way is up.*$/, () => 'quá ít chữ để biết chiều trang: giữ như khi quét, cần kiểm tra'],
];

export function rescanReasonText(reason) {
  return (reason ?? '').split('; ').map((part) => {
    for (const [pattern, text] of rescanReasons) {
      const match = pattern.exec(part);
      if (match) {
        return text(match);
      }
    }
    return reasonName(part);
  }).join('; ');
}
