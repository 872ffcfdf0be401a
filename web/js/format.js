// Vietnamese wording and vi-VN formatting shared by every page.

const numberFormat = new Intl.NumberFormat('vi-VN');
const percentFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZone: 'Asia/Ho_Chi_Minh',
});
const monthFormat = new Intl.DateTimeFormat('vi-VN', { month: '2-digit', year: 'numeric', timeZone: 'UTC' });

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
  const parsed = new Date(`${text}-01T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? text : monthFormat.format(parsed);
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
