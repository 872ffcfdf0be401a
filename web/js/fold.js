// Matching words the way `sohoa search` does: case, diacritics and đ do not matter
// ("dang ky" finds "Đăng ký"). Used to highlight a query's words on a page image and its text.

// "Đăng" -> "dang"
export function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

const letters = /[\p{L}\p{M}\p{N}]+/gu;
// Fields whose value is not text on a page: nothing to highlight.
const skippedFields = new Set(['code', 'level', 'received']);

// The words of a search query worth highlighting, folded: [{word, prefix}]. Left out: -excluded
// words and phrases, OR, and code:/level:/received: values. `chung*` gives {word: 'chung', prefix: true}.
export function queryTerms(queryText) {
  const terms = [];
  const seen = new Set();
  const pattern = /(-?)(?:([A-Za-z_]+):)?(?:"([^"]*)"?|(\S+))/gu;
  for (const match of (queryText ?? '').matchAll(pattern)) {
    const [, minus, field, phrase, bare] = match;
    if (minus || (field && skippedFields.has(field.toLowerCase())) || bare === 'OR') {
      continue;
    }
    const text = phrase ?? bare ?? '';
    const prefix = phrase === undefined && text.endsWith('*');
    const words = fold(text).match(letters) ?? [];
    words.forEach((word, index) => {
      const term = { word, prefix: prefix && index === words.length - 1 };
      const key = `${term.word}${term.prefix ? '*' : ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        terms.push(term);
      }
    });
  }
  return terms;
}

// Whether the page word `text` ("Đăng", "ký,") is one of `terms`.
export function matchesTerms(text, terms) {
  const words = fold(text).match(letters) ?? [];
  return words.some((word) => terms.some((term) => (term.prefix ? word.startsWith(term.word) : word === term.word)));
}

// `text` split into runs: [{text, match}] where match says the run is a word among `terms`.
export function splitMatches(text, terms) {
  const runs = [];
  let last = 0;
  for (const match of text.matchAll(letters)) {
    if (!matchesTerms(match[0], terms)) {
      continue;
    }
    if (match.index > last) {
      runs.push({ text: text.slice(last, match.index), match: false });
    }
    runs.push({ text: match[0], match: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    runs.push({ text: text.slice(last), match: false });
  }
  return runs;
}
