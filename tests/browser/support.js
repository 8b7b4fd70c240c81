// Browser test support: Debian's chromium driven by playwright-core, with the
// product's strict CSP enforced for behaviour, axe-core for accessibility, a
// 375 px layout check and a screenshot of every screen.
// See /work/shared/notes/test-tools.md section 1 for the measured behaviour of
// these tools on Debian 12 (flags, CSP, dates, favicon).
// CommonJS and Node 18 compatible (CI on Debian 12 runs Debian's Node 18).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const { env, baseUrl } = require('../support/harness');

const VIEWPORT = { width: 375, height: 667 };
// Bounded but generous: the stack is local, but CI machines have 2 cores.
const NAV_TIMEOUT_MS = 20000;
const ACTION_TIMEOUT_MS = 10000;

// <build>/browser-screenshots: the build folder is the parent of the folder
// holding KOSMO_TEST_ENV (<build>/stack/test.env).
const screenshotDir = path.join(path.dirname(path.dirname(path.resolve(process.env.KOSMO_TEST_ENV))), 'browser-screenshots');

// Flags from the notes: no sandbox (root in CI), no GPU/QUIC, and no DNS at all
// except 127.0.0.1 (Chromium otherwise resolves autofill/accounts hosts).
// No --disable-features: it would replace Playwright's own list.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

let browser = null;
let axeContext = null;
let axePage = null;
let shotCounter = 0;

// Launches chromium once per test file (each *_test.js is its own process).
async function launch() {
  if (browser) return browser;
  fs.mkdirSync(screenshotDir, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
  return browser;
}

async function close() {
  const b = browser;
  browser = null; axeContext = null; axePage = null;
  if (b) await b.close();
}

// The context for behaviour: the server's CSP is enforced. Every page records
// console errors, page errors (uncaught exceptions) and failed subresources.
async function strictContext(options = {}) {
  assert.ok(browser, 'launch() first');
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, locale: 'ja-JP', viewport: VIEWPORT, ...options,
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.on('page', watch);
  return context;
}

function watch(page) {
  const problems = { consoleErrors: [], pageErrors: [], badResources: [] };
  page.kosmoProblems = problems;
  page.on('console', (m) => { if (m.type() === 'error') problems.consoleErrors.push(`${m.text()} (${page.url()})`); });
  page.on('pageerror', (e) => problems.pageErrors.push(`${e.message} (${page.url()})`));
  page.on('requestfailed', (r) => {
    // A navigation replaced by the next one is "aborted": not a product fault.
    const failure = r.failure() ? r.failure().errorText : '';
    if (!/ERR_ABORTED/.test(failure)) problems.badResources.push(`${r.method()} ${r.url()}: ${failure}`);
  });
  page.on('response', (r) => {
    // Subresources (CSS, images) must load; documents may carry any status
    // (an invalid-URL screen may well answer 404/410 on purpose).
    const type = r.request().resourceType();
    if (type !== 'document' && r.status() >= 400) problems.badResources.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
}

// Fails on any CSP violation (the product forbids inline script/style), any
// uncaught page error and any subresource that failed to load. Other console
// errors (e.g. Chromium's "Failed to load resource: 404" for a document that
// answers 404 on purpose) are returned for the log.
function assertCleanConsole(page) {
  const p = page.kosmoProblems;
  assert.ok(p, 'page was not created in a strictContext');
  const csp = p.consoleErrors.filter((e) => /Content Security Policy/i.test(e));
  assert.deepEqual(csp, [], `CSP violations on ${page.url()}:\n${csp.join('\n')}`);
  assert.deepEqual(p.pageErrors, [], `page errors on ${page.url()}:\n${p.pageErrors.join('\n')}`);
  assert.deepEqual(p.badResources, [], `resources that failed on ${page.url()}:\n${p.badResources.join('\n')}`);
  return p.consoleErrors.filter((e) => !/Content Security Policy/i.test(e));
}

// axe-core cannot be injected into a strict page: the CSP blocks the script.
// It runs instead in a page of a second context with bypassCSP: true, which is
// given exactly the DOM the strict page shows, at the same URL: the document
// request is answered by route.fulfill() with page.content() of the strict
// page (never reaching the server), while the stylesheet is fetched from the
// real server, so colours, sizes and the 375 px layout are the product's.
// Why not re-open the URL with copied cookies: that is a second request with
// effects (a new CSRF token, a consumed token or grant, another audit row, a
// one-time notice gone) and cannot reproduce POST results (the ID screen, the
// completion screen, forms with errors). Why not setContent() with <base
// href>: the product's CSP says base-uri 'none', the document URL would be
// about:blank, and a <base> the product does not have changes what is tested.
async function axeCheck(page) {
  if (!axeContext) {
    axeContext = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, locale: 'ja-JP', viewport: VIEWPORT });
    axeContext.setDefaultTimeout(NAV_TIMEOUT_MS);
    axePage = await axeContext.newPage();
  }
  const url = page.url();
  const html = await page.content();
  const handler = (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
  const matcher = (u) => u.href === url;
  await axePage.route(matcher, handler);
  try {
    await axePage.goto(url, { waitUntil: 'load' });
  } finally {
    await axePage.unroute(matcher, handler);
  }
  await axePage.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await axePage.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations;
}

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `    - ${n.target.join(' ')}\n      ${n.html}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

// Checks one screen as the member sees it now: a clean console, a full-page
// screenshot, no horizontal scrolling at 375 px, zero axe violations.
// Returns { screenshot, violations } for the log.
async function checkScreen(page, name) {
  await page.waitForLoadState('load');
  const otherConsole = assertCleanConsole(page);
  if (otherConsole.length) console.log(`# console (not failing) on ${name}: ${otherConsole.join(' | ')}`);

  shotCounter += 1;
  const file = `${String(shotCounter).padStart(2, '0')}-${name}.png`;
  // A rerun that numbers screens differently must not leave an old copy.
  for (const old of fs.readdirSync(screenshotDir)) {
    if (old !== file && old.replace(/^\d+-/, '') === `${name}.png`) fs.unlinkSync(path.join(screenshotDir, old));
  }
  const screenshot = path.join(screenshotDir, file);
  await page.screenshot({ path: screenshot, fullPage: true });

  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(widths.scroll <= VIEWPORT.width,
    `${name}: horizontal scrolling at ${VIEWPORT.width} px (scrollWidth ${widths.scroll}), see ${screenshot}`);

  const violations = await axeCheck(page);
  assert.equal(violations.length, 0, `${name}: ${violations.length} axe violation(s) on ${page.url()}:\n${formatViolations(violations)}`);
  return { screenshot, violations };
}

// Runs `action` (a click, an Enter) and waits until the main frame has
// committed the next document and loaded it. Works for POSTs that answer on
// the same URL too, where waitForURL would return at once.
async function navigation(page, action, { url } = {}) {
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: NAV_TIMEOUT_MS });
  // If the action itself fails (no such button), report that, not the wait.
  committed.catch(() => {});
  await action();
  await committed;
  await page.waitForLoadState('load');
  if (url) assert.match(page.url(), url, `expected URL ${url}, at ${page.url()}`);
}

// The screen's heading: screens are identified by their h1 and <title>.
async function heading(page) {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim();
}

// Fills a form by keyboard only, as a member without a mouse would: from the
// top of a freshly loaded page, Tab until the first form field is focused
// (links before the form are allowed; they are listed in the result), then
// for each expected field in order: the focused element's <label> must be the
// expected text, type the value, Tab. After the last field the focus must be
// on the submit button named `submit`; Enter submits. `fields` is a list of
// [label, value]. Returns the names of the stops passed before the first field.
async function keyboardWalk(page, fields, submit, { url } = {}) {
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') || '',
      label: el.labels && el.labels.length ? el.labels[0].textContent.trim() : '',
      text: (el.textContent || '').trim(),
      isField: ['input', 'select', 'textarea'].includes(el.tagName.toLowerCase()),
    };
  });
  const start = await focused();
  assert.equal(start.tag, 'body', 'the keyboard walk must start from the top of a freshly loaded page');
  const before = [];
  let now = null;
  for (let i = 0; i < 15; i += 1) {
    await page.keyboard.press('Tab');
    now = await focused();
    if (now.isField) break;
    before.push(`${now.tag}:${now.text || now.label}`);
  }
  assert.ok(now && now.isField, `no form field reached by Tab; stops: ${before.join(', ')}`);
  const order = [];
  for (let i = 0; i < fields.length; i += 1) {
    const [label, value] = fields[i];
    if (i > 0) { await page.keyboard.press('Tab'); now = await focused(); }
    order.push(now.label);
    assert.equal(now.label, label, `Tab stop ${i + 1} should be the field 「${label}」; order so far: ${order.join(' → ')}`);
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Tab');
  now = await focused();
  assert.equal(now.tag, 'button', `after 「${fields[fields.length - 1][0]}」 Tab should reach the button 「${submit}」, got ${now.tag} ${now.text || now.label}`);
  assert.equal(now.text, submit);
  await navigation(page, () => page.keyboard.press('Enter'), { url });
  return before;
}

module.exports = {
  VIEWPORT, NAV_TIMEOUT_MS, screenshotDir, baseUrl, env,
  launch, close, strictContext, assertCleanConsole, axeCheck, formatViolations, checkScreen, navigation, heading, keyboardWalk,
};
