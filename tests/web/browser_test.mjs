// End to end in a real browser (ctest web_browser): Debian's chromium, headless, driven by
// playwright-core, against `sohoa serve` started here on a free loopback port, over an archive
// built from samples/ (the sample batch ingested, the sample register and targets imported).
//
//   node tests/web/browser_test.mjs --sohoa build/dev/apps/cli/sohoa [--out DIR] [--archive DIR]
//
// --out: where the screenshots go (default: a temp dir); with SOHOA_SCREENSHOTS_TO_DOCS=1 they
// are also copied to docs/screenshots/. --archive: use this already-built archive instead of
// building one (faster when working on the pages; a copy: the test ends by tripping the login
// throttle, which the archive remembers). Exit 0 = passed, 1 = failed, 77 = skipped
// (no node_modules or no chromium), which ctest reports as skipped with the reason printed.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '../..');
const chromiumPath = process.env.SOHOA_CHROMIUM ?? '/usr/bin/chromium';
const exitSkipped = 77;

const { values: options } = parseArgs({
  options: {
    sohoa: { type: 'string', default: process.env.SOHOA_EXE ?? '' },
    out: { type: 'string', default: '' },
    archive: { type: 'string', default: '' },
  },
});

function skip(reason) {
  console.log(`SKIPPED: ${reason}`);
  process.exit(exitSkipped);
}

if (!existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  skip(`no ${path.join(here, 'node_modules')}: run \`npm ci --prefix tests/web\` (scripts/install-deps does)`);
}
if (!existsSync(chromiumPath)) {
  skip(`no ${chromiumPath}: install Debian's chromium (scripts/install-deps does)`);
}
if (!options.sohoa || !existsSync(options.sohoa)) {
  console.error('browser_test: --sohoa PATH (the sohoa executable) is required');
  process.exit(2);
}
const { chromium } = await import('playwright-core');

const started = Date.now();
const workDir = await mkdtemp(path.join(tmpdir(), 'sohoa-web-'));
const outDir = options.out ? path.resolve(options.out) : path.join(workDir, 'screenshots');
await mkdir(outDir, { recursive: true });
const archive = options.archive ? path.resolve(options.archive) : path.join(workDir, 'archive');
const password = 'mật-khẩu-thử-2026';
const users = { archivist: 'luutru', official: 'lanhdao', operator: 'vanhanh', admin: 'quantri' };

function log(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
}

function sohoa(args, input) {
  return execFileSync(options.sohoa, ['--archive', archive, ...args], {
    input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
}

// The archive the pages show: the four sample dossiers (13 pages, OCR), the register and targets.
function buildArchive() {
  sohoa(['init']);
  log('ingesting samples/batch (OCR of 13 pages)…');
  sohoa(['ingest', path.join(sourceDir, 'samples/batch'), '--jobs', '2', '--operator', 'Nguyễn Văn An', '--station', 'BC-01']);
  sohoa(['register', 'import', path.join(sourceDir, 'samples/register.csv')]);
  sohoa(['targets', 'set', '--file', path.join(sourceDir, 'samples/targets.json')]);
}

// One user of each role. With --archive they may exist already: then their password is reset.
function addUsers() {
  for (const [role, name] of Object.entries(users)) {
    try {
      sohoa(['user', 'add', name, '--role', role, '--password-stdin'], `${password}\n`);
    } catch (error) {
      if (!options.archive) {
        throw error;
      }
      sohoa(['user', 'passwd', name, '--password-stdin'], `${password}\n`);
    }
  }
}

// `sohoa serve` on port 0; resolves with its base URL from "listening on http://127.0.0.1:PORT".
function startServer() {
  const server = spawn(options.sohoa, ['--archive', archive, 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sohoa serve did not say where it listens:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.setEncoding('utf8').on('data', onData);
    server.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    server.on('exit', (code) => reject(new Error(`sohoa serve exited (${code}) before listening:\n${output}`)));
  });
  return { server, ready };
}

// What the test expects to read on the pages, formatted as the pages must format it.
const viNumber = new Intl.NumberFormat('vi-VN');
const viPercent = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const number = (value) => viNumber.format(value);
const percent = (value) => (value === null ? '–' : `${viPercent.format(value)} %`);
const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

const steps = [];
function step(name, run) {
  steps.push({ name, run });
}

let base = '';
let browser = null;
let context = null;
let page = null;
const pageProblems = [];

async function screenshot(name, fullPage = true) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

async function login(name) {
  await page.goto(`${base}/login.html`);
  await page.getByLabel('Tên đăng nhập').fill(name);
  await page.getByLabel('Mật khẩu').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login.html')), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

async function logout() {
  await Promise.all([page.waitForURL(/\/login\.html/), page.locator('#logout').click()]);
}

async function expectRefused(url) {
  await page.goto(`${base}${url}`);
  await page.locator('#forbidden').waitFor();
  assert.match(await page.locator('#forbidden h1').textContent(), /Không có quyền/);
}

// The sample dossier whose page 2 holds "Sổ đăng ký kết hôn"; typed without diacritics below.
const dossierCode = '000.41.31.H38-260520-0004';
const searchText = 'ket hon';

step('anonymous: a page sends to the login form; a wrong password is refused plainly', async () => {
  const response = await page.goto(`${base}/search.html`);
  assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);
  await page.waitForURL(/\/login\.html\?next=/);
  await page.getByLabel('Tên đăng nhập').fill(users.archivist);
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const error = page.locator('#login-error');
  await error.filter({ hasText: 'Sai tên đăng nhập hoặc mật khẩu' }).waitFor();
  await screenshot('login', false);
  const api = await page.request.get(`${base}/api/search?q=x`);
  assert.equal(api.status(), 401, 'the API answers 401 without a session');
});

step('archivist: logs in, lands on search, searches without diacritics', async () => {
  await page.getByLabel('Mật khẩu').fill(password);
  await Promise.all([page.waitForURL(/\/search\.html/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  assert.equal(await page.locator('#current-user').textContent(), users.archivist);
  assert.equal(await page.locator('#current-role').textContent(), 'Lưu trữ viên');
  // The filters come from /api/facets: the levels and units of the samples and the register.
  await page.locator('#level option').nth(3).waitFor({ state: 'attached' });
  assert.ok(await page.locator('#unit option', { hasText: 'Bộ phận một cửa xã Hòa Hiệp' }).count() === 1, 'unit filter filled');
  // Every sample dossier holds "đăng ký", typed here without its diacritics.
  await page.getByLabel('Từ khóa').fill('dang ky');
  await Promise.all([page.waitForURL(/q=dang\+ky/), page.getByRole('button', { name: 'Tìm' }).click()]);
  await page.locator('#result-count').waitFor();
  assert.equal(await page.locator('.hit').count(), 4, 'the four sample dossiers');
  for (const hit of await page.locator('.hit').all()) {
    const marks = await hit.locator('.snippet mark').allTextContents();
    assert.ok(marks.length > 0 && marks.every((mark) => ['dang', 'ky', 'dang ky'].includes(fold(mark))), `marks match the query: ${marks}`);
  }
  await screenshot('search', false);
  // A filter (from the facets) and another query: only the commune's dossier.
  await page.getByLabel('Cấp', { exact: true }).selectOption({ label: 'Cấp xã' });
  await page.getByLabel('Từ khóa').fill(searchText);
  await Promise.all([page.waitForURL(/q=ket\+hon/), page.getByRole('button', { name: 'Tìm' }).click()]);
  await page.locator('#result-count').waitFor();
  assert.equal(await page.locator('.hit').count(), 1);
  assert.equal(await page.locator('.hit a.hit-code').textContent(), dossierCode);
  assert.ok((await page.locator('.hit .snippet mark').count()) > 0, 'the snippet has highlighted matches');
});

step('archivist: opens the dossier; the searched words are boxed on the page image', async () => {
  await page.locator(`a.hit-code:text-is("${dossierCode}")`).click();
  await page.waitForURL(/\/dossier\.html\?/);
  await page.locator('#dossier:not([hidden])').waitFor();
  assert.equal(await page.locator('#dossier-code').textContent(), dossierCode);
  assert.match(await page.locator('#fixity').textContent(), /Toàn vẹn/);
  assert.equal(await page.locator('.thumb').count(), 3, 'three page thumbnails');
  await page.locator('#page-heading', { hasText: /Trang \d\/3/ }).waitFor();
  // The page image and the thumbnails are PNGs the server renders from the archived PDF.
  await page.waitForFunction(() => [...document.querySelectorAll('#page-image, .thumb img')]
    .every((image) => image.complete && image.naturalWidth > 0));
  const boxes = page.locator('#word-boxes rect.hit-box');
  await boxes.first().waitFor({ state: 'attached' });
  const words = await boxes.evaluateAll((rects) => rects.map((rect) => rect.dataset.word));
  assert.ok(words.length >= 2, `at least "kết" and "hôn" boxed, got ${words}`);
  assert.ok(words.every((word) => /^(ket|hon)\b/.test(fold(word))), `only query words boxed: ${words}`);
  // Each box lies on the page image, and is a word's size, not the whole page.
  const image = await page.locator('#page-image').boundingBox();
  for (const rect of await boxes.all()) {
    const box = await rect.boundingBox();
    assert.ok(box.x >= image.x - 1 && box.y >= image.y - 1 && box.x + box.width <= image.x + image.width + 1 &&
      box.y + box.height <= image.y + image.height + 1, 'box inside the page image');
    assert.ok(box.width > 2 && box.width < image.width / 3 && box.height > 2 && box.height < image.height / 20, 'a word-sized box');
  }
  assert.ok((await page.locator('#page-text mark').count()) >= 2, 'the OCR text has the words marked');
  await screenshot('dossier');
});

step('archivist: downloads the dossier PDF', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#pdf-link').click()]);
  assert.equal(download.suggestedFilename(), `${dossierCode}.pdf`);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const shown = JSON.parse(sohoa(['show', dossierCode, '--json']));
  assert.equal(bytes.length, shown.bytes, 'the archived PDF, whole');
  await logout();
});

step('official: lands on the dashboard; charts drawn; the numbers of `sohoa report`', async () => {
  await login(users.official);
  assert.match(page.url(), /\/dashboard\.html/);
  await page.locator('#dashboard:not([hidden])').waitFor();
  const period = await page.locator('#period').inputValue();
  assert.ok((await page.locator('#by-level svg rect.bar').count()) >= 1, 'bars per level');
  assert.ok((await page.locator('#by-level svg line.target-mark').count()) >= 1, 'target marks per level');
  assert.ok((await page.locator('#by-unit svg rect.bar').count()) >= 1, 'bars per unit');
  assert.ok((await page.locator('#by-month svg circle.trend-point').count()) >= 1, 'trend by month');
  for (const by of ['level', 'unit', 'month']) {
    const report = JSON.parse(sohoa(['report', '--format', 'json', '--period', period, '--by', by]));
    const table = page.locator(`table[data-by="${by}"]`);
    assert.equal(await table.locator('tbody tr').count(), report.rows.length, `${by}: one table row per report row`);
    if (by !== 'month') {
      assert.equal(await page.locator(`#by-${by} svg rect.bar`).count(), report.rows.length, `${by}: one bar per row`);
    }
    for (const row of [...report.rows, { ...report.total, key: 'total' }]) {
      const cells = table.locator(`tr[data-key="${row.key}"] td`);
      const expected = [number(row.received), number(row.digitized), percent(row.rate_percent), percent(row.target_percent), number(row.gap)];
      assert.deepEqual(await cells.allTextContents(), expected, `${by} ${row.key} in ${period}`);
    }
  }
  const total = JSON.parse(sohoa(['report', '--format', 'json', '--period', period])).total;
  assert.equal(await page.locator('#total-received').textContent(), number(total.received));
  assert.equal(await page.locator('#total-rate').textContent(), percent(total.rate_percent));
  await screenshot('dashboard');
});

step('official: refused a dossier (page and API)', async () => {
  await expectRefused(`/dossier.html?code=${dossierCode}`);
  const api = await page.request.get(`${base}/api/dossiers/${dossierCode}`);
  assert.equal(api.status(), 403);
  await screenshot('forbidden', false);
  await logout();
});

step('operator: lands on batches; refused search (page and API)', async () => {
  await login(users.operator);
  assert.match(page.url(), /\/batches\.html/);
  await page.locator('#batches-content:not([hidden])').waitFor();
  const rows = page.locator('#batch-list tbody tr');
  assert.ok((await rows.count()) >= 1, 'the sample batch is listed');
  const cells = await Promise.all((await rows.all()).map((row) => row.locator('td').allTextContents()));
  assert.ok(cells.some((row) => row.includes('Nguyễn Văn An') && row.includes(number(13))), 'the sample batch: its operator, its 13 pages');
  await screenshot('batches');
  await expectRefused('/search.html');
  const api = await page.request.get(`${base}/api/search?q=dang`);
  assert.equal(api.status(), 403);
  await logout();
});

step('admin: logs in with the keyboard alone, lands on search; the header offers every page', async () => {
  await page.goto(`${base}/login.html`);
  await page.keyboard.type(users.admin);  // the name field has the focus
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await Promise.all([page.waitForURL(/\/search\.html/), page.keyboard.press('Enter')]);
  await page.locator('#current-role').waitFor();  // the header is drawn after /api/me answers
  assert.deepEqual(await page.locator('#app-header nav a').allTextContents(), ['Tra cứu hồ sơ', 'Tiến độ số hóa', 'Lô số hóa']);
  assert.equal(await page.locator('#current-role').textContent(), 'Quản trị viên');
  await logout();
});

step('login throttled after repeated failures, said plainly', async () => {
  await page.goto(`${base}/login.html`);
  const error = page.locator('#login-error');
  for (let attempt = 0; attempt < 8; ++attempt) {
    await page.getByLabel('Tên đăng nhập').fill(users.archivist);
    await page.getByLabel('Mật khẩu').fill(`sai-${attempt}`);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/login'));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    if ((await answered).status() === 429) {
      break;
    }
    // The form clears the password after a refusal and enables the button again last: typing
    // the next one before that would be wiped, and the form would send nothing.
    await page.locator('#login-submit:not([disabled])').waitFor();
  }
  await error.filter({ hasText: 'quá nhiều lần' }).waitFor();
  await screenshot('login-throttled', false);
});

let server = null;
let failed = false;
try {
  if (!options.archive) {
    buildArchive();
  }
  addUsers();
  log(`archive ready: ${archive}`);
  const serve = startServer();
  server = serve.server;
  base = await serve.ready;
  log(`sohoa serve at ${base}`);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 860 }, locale: 'vi-VN' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) {
      pageProblems.push(`CSP: ${message.text()}`);
    }
  });
  for (const { name, run } of steps) {
    try {
      await run();
      assert.deepEqual(pageProblems, [], 'no script errors or CSP refusals in the pages');
      log(`ok   ${name}`);
    } catch (error) {
      failed = true;
      log(`FAIL ${name}\n${error.stack ?? error}`);
      await page.screenshot({ path: path.join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
      log(`page at failure: ${page.url()} (screenshot ${path.join(outDir, 'failure.png')})`);
      break;
    }
  }
} catch (error) {
  failed = true;
  log(`FAIL setting up: ${error.stack ?? error}`);
} finally {
  await browser?.close();
  server?.kill('SIGTERM');
}

if (!failed && process.env.SOHOA_SCREENSHOTS_TO_DOCS === '1') {
  const docs = path.join(sourceDir, 'docs/screenshots');
  await mkdir(docs, { recursive: true });
  for (const name of ['login', 'search', 'dossier', 'dashboard', 'batches', 'forbidden']) {
    await copyFile(path.join(outDir, `${name}.png`), path.join(docs, `${name}.png`));
  }
  log(`screenshots copied to ${docs}`);
}
log(`screenshots in ${outDir}`);
if (process.env.SOHOA_KEEP_TEST_DIRS === undefined) {
  await rm(path.join(workDir, 'archive'), { recursive: true, force: true });
}
log(failed ? 'web_browser: FAILED' : `web_browser: passed (${steps.length} steps)`);
process.exit(failed ? 1 : 0);
