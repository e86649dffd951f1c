// Real-browser checks of a built handbok site, as a teacher would use it.
//
//   node tests/browser/run.mjs SITE_DIR SCREENSHOT_DIR [HOSTILE_SITE_DIR]
//
// Serves SITE_DIR on 127.0.0.1, drives Debian's Chromium headless through playwright-core, runs
// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page type in several languages, then runs
// the same walk on the site opened from disk (file://), and validates every HTML file with the
// Nu HTML Checker. With HOSTILE_SITE_DIR (tests/fixtures/hostile built), it also opens the
// hostile pages over http and file://, hovers and clicks everything, and asserts that no script
// from content runs and that the pages stay intact. Ends with a line "N passed, N failed".

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { designChecks } from './design.mjs';

const require = createRequire(import.meta.url);
const [siteDir, shotDir, hostileDir] = process.argv.slice(2).map((p) => path.resolve(p));
if (!siteDir || !shotDir) {
  console.error('usage: run.mjs SITE_DIR SCREENSHOT_DIR');
  process.exit(2);
}
await mkdir(shotDir, { recursive: true });
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err && err.stack || err).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// --- a static server, as any web host would serve the site ---
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.xml': 'application/xml', '.png': 'image/png', '.json': 'application/json' };
async function serve(root) {
  const server = createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, url);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      const body = await readFile(path.join(root, '404.html'));
      res.writeHead(404, { 'content-type': types['.html'] }).end(body);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const server = await serve(siteDir);
const httpBase = `http://127.0.0.1:${server.address().port}/`;
const fileBase = pathToFileURL(siteDir).href + '/';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', '--allow-file-access-from-files'],
});

// Any request that leaves the site fails the page: no CDN fonts, no analytics.
async function newPage(base, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Content-Security-Policy violations are logged to the console: the site's own scripts must
  // never need one, and hostile content must never reach the point of causing one.
  const csp = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) csp.push(m.text()); });
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.outside = outside;
  page.errors = errors;
  page.csp = csp;
  page.dialogs = dialogs;
  return page;
}

async function axe(page, label) {
  // Injected through the DevTools protocol: the page's own CSP (no inline script) stays on.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  const problems = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert(problems.length === 0, `${label}: ${problems.length} axe violations:\n       ${problems.join('\n       ')}`);
}

// Page types, each in several languages (uk is the partial translation: fallback pages).
const pageTypes = (lang) => [
  ['home', `${lang}/index.html`],
  ['module', `${lang}/modules/captions-and-transcripts.html`],
  ['handbook', `${lang}/handbooks/inclusive-teaching.html`],
  ['printable handbook', `${lang}/print/inclusive-teaching.html`],
  ['facet', `${lang}/levels/primary.html`],
  ['browse', `${lang}/modules.html`],
  ['search', `${lang}/search.html?q=${lang === 'sv' ? 'elever' : lang === 'uk' ? 'учні' : 'learners'}`],
  ['404', `${lang}/404.html`],
];

for (const [mode, base] of [['http', httpBase], ['file', fileBase]]) {
  const suffix = `(${mode})`;

  await check(`root lets a reader pick Swedish ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'index.html');
    await page.getByRole('link', { name: 'Svenska' }).first().click();
    await page.waitForURL(/\/sv\/index\.html$/);
    assert(await page.locator('html').getAttribute('lang') === 'sv', 'html lang is sv');
    if (mode === 'http') await page.screenshot({ path: path.join(shotDir, 'home-sv.png'), fullPage: true });
    assert(page.outside.length === 0, `requests left the site: ${page.outside}`);
    await page.context().close();
  });

  await check(`a Swedish search finds a Swedish module and opens it ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/index.html');
    await page.getByLabel('Sökord').first().fill('textning');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sv\/search\.html/);
    const first = page.locator('ol.results li a').first();
    await first.waitFor({ timeout: 5000 });
    const title = await first.textContent();
    assert(/Textning/i.test(title), `the first hit is about captions: ${title}`);
    // Stemming: an inflected form finds the same module.
    await page.locator('#q').fill('textningen');
    await page.locator('#q').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('ol.results li').length > 0);
    assert(/Textning/i.test(await page.locator('ol.results li a').first().textContent()), 'stemmed query finds it');
    if (mode === 'http') await page.screenshot({ path: path.join(shotDir, 'search-sv.png'), fullPage: true });
    await page.locator('ol.results li a').first().click();
    await page.waitForURL(/\/sv\/modules\/captions-and-transcripts\.html$/);
    assert(page.errors.length === 0, `script errors: ${page.errors}`);
    assert(page.csp.length === 0, `search works under the CSP: ${page.csp.join(' | ')}`);
    await page.context().close();
  });

  await check(`the browser splits queries into words exactly as the index was split ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'fr/search.html');
    // The same vectors as search.rs's `words_split_like_the_browser_does`.
    const cases = [
      ["l'école d’été, 3.5", ['l', 'école', 'd', 'été', '3', '5']],
      ['हिन्दी भाषा', ['हिन्दी', 'भाषा']],
      ['مُعَلِّم', ['مُعَلِّم']],
      ['数字教育ok', ['数', '字', '教', '育', 'ok']],
      ['Läs mer: Übung, “ÉCOLE” і Школа 2025!', ['läs', 'mer', 'übung', 'école', 'і', 'школа', '2025']],
    ];
    for (const [text, expected] of cases) {
      const got = await page.evaluate((t) => window.handbokSearch.words(t), text);
      assert(JSON.stringify(got) === JSON.stringify(expected), `${text}: ${JSON.stringify(got)}`);
    }
    await page.context().close();
  });

  await check(`a typo'd query without accents finds its module, with a highlighted snippet and a section link ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'fr/search.html?q=' + encodeURIComponent('evaluaton formative'));
    const first = page.locator('ol.results li').first();
    await first.waitFor({ timeout: 5000 });
    const href = await first.locator('a').first().getAttribute('href');
    assert(/modules\/formative-assessment-digital\.html$/.test(href), `first hit: ${href}`);
    const marks = await first.locator('mark').allTextContents();
    assert(marks.some((m) => /^[ÉEée]valuation$/.test(m)) && marks.some((m) => /^formative$/i.test(m)), `highlighted: ${marks}`);
    assert(await first.locator('p.snippet').count() === 1, 'a snippet');
    const section = first.locator('p.section a');
    const target = await section.getAttribute('href');
    const id = decodeURIComponent(target.split('#')[1] || '');
    assert(/modules\/formative-assessment-digital\.html#./.test(target), `section link: ${target}`);
    // The same folding as search.rs's `folding_drops_accents_but_not_other_scripts_marks`.
    const folds = [['évaluation', 'evaluation'], ['straße', 'strasse'], ['łódź', 'lodz'], ['cœur', 'coeur'], ['їжак', 'іжак'], ['हिन्दी', 'हिन्दी'], ['مُعَلِّم', 'مُعَلِّم']];
    for (const [word, folded] of folds) {
      const got = await page.evaluate((w) => window.handbokSearch.fold(w), word);
      assert(got === folded, `fold(${word}) = ${got}`);
    }
    await section.click();
    await page.waitForURL(/formative-assessment-digital\.html#/);
    assert(await page.locator(`[id="${id}"]`).count() === 1, `the section ${id} exists on the page`);
    assert(page.errors.length === 0, `script errors: ${page.errors}`);
    assert(page.csp.length === 0, `search works under the CSP: ${page.csp.join(' | ')}`);
    await page.context().close();
  });

  await check(`the root page searches in the visitor's language ${suffix}`, async () => {
    const page = await newPage(base, { locale: 'de-AT' });
    await page.goto(base + 'index.html');
    const box = page.locator('form.search');
    await page.waitForFunction(() => /de\/search\.html$/.test(document.querySelector('form.search').action));
    await box.locator('input[name=q]').fill('Legastenie');
    await box.locator('input[name=q]').press('Enter');
    await page.waitForURL(/\/de\/search\.html\?q=Legastenie/);
    const first = page.locator('ol.results li a').first();
    await first.waitFor({ timeout: 5000 });
    assert(/reading-support-dyslexia/.test(await first.getAttribute('href')), 'a German search for dyslexia');
    await page.context().close();
  });

  await check(`search results filter by level ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/search.html?q=elever');
    await page.waitForFunction(() => document.querySelectorAll('ol.results li').length > 0);
    const before = await page.locator('ol.results li').count();
    await page.locator('details.filters-box > summary').click();
    await page.locator('form.filters input[name=levels][value=isced-0]').check();
    // The old results stay, marked busy, until the filtered ones replace them.
    await page.waitForFunction((n) => {
      const list = document.querySelector('ol.results');
      return !list.hasAttribute('aria-busy') && list.querySelectorAll('li').length < n;
    }, before);
    const after = await page.locator('ol.results li').count();
    assert(after > 0 && after < before, `filtering narrows ${before} to ${after}`);
    await page.context().close();
  });

  await check(`browse narrows by level and need together ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/modules.html');
    // The filters load their data as scripts: count once the list is no longer busy.
    const visible = async () => { await page.waitForSelector('ul.browse:not([aria-busy])'); return page.locator('ul.browse li:visible').count(); };
    const all = await visible();
    await page.locator('details.filters-box > summary').click();
    await page.locator('form.filters input[name=levels][value=isced-1]').check();
    const primary = await visible();
    await page.locator('form.filters input[name=needs][value=dyslexia]').check();
    const both = await visible();
    assert(all > primary && primary > both && both > 0, `all ${all} > primary ${primary} > primary+dyslexia ${both} > 0`);
    // The filters are in the address: a reload (or the link, shared) shows the same list.
    const address = new URL(page.url());
    assert(address.searchParams.get('levels') === 'isced-1' && address.searchParams.get('needs') === 'dyslexia',
      `filters kept in the URL: ${page.url()}`);
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll('ul.browse li:not([hidden])').length === n, both);
    assert(await page.locator('form.filters input[name=needs][value=dyslexia]').isChecked(), 'the need is still checked after a reload');
    const status = await page.locator('.status').textContent();
    assert(status.includes(String(both)), `the status says how many: ${status}`);
    await page.locator('details.filters-box > summary').click();
    await page.getByRole('button', { name: 'Rensa filter' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('ul.browse li:not([hidden])').length === n, all);
    await page.context().close();
  });

  await check(`reader settings switch theme and persist ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/modules/captions-and-transcripts.html');
    await page.locator('.settings summary').click();
    await page.getByLabel('Mörkt').check();
    assert(await page.locator('html').getAttribute('data-theme') === 'dark', 'dark theme applied');
    await page.keyboard.press('Escape');
    assert(!(await page.locator('details.settings').evaluate((e) => e.open)), 'Escape closes the settings');
    assert(await page.locator('.settings summary').evaluate((e) => e === document.activeElement), 'focus returns to the settings button');
    await page.locator('.settings summary').click();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert(bg === 'rgb(21, 23, 26)', `dark background, got ${bg}`);
    await page.getByLabel('Hög kontrast').check();
    await page.getByLabel('Större').check();
    await page.getByLabel(/Lättläst|läsläge/i).check();
    await page.goto(base + 'sv/index.html');
    const html = page.locator('html');
    assert(await html.getAttribute('data-theme') === 'contrast', 'high contrast persists across pages');
    assert(await html.getAttribute('data-text') === 'larger', 'text size persists');
    assert(await html.getAttribute('data-reading') === 'easy', 'easy reading persists');
    // The settings are restored by the theme's inline script, allowed by its hash alone.
    assert(await page.locator('meta[http-equiv="Content-Security-Policy"]').count() === 1, 'pages carry a CSP');
    assert(page.csp.length === 0, `CSP violations: ${page.csp.join(' | ')}`);
    if (mode === 'http') {
      await page.screenshot({ path: path.join(shotDir, 'home-contrast.png') });
      await axe(page, 'home in high contrast, larger text, easy reading');
    }
    await page.context().close();
  });

  await check(`without JavaScript, reading works and nothing is hidden ${suffix}`, async () => {
    const page = await newPage(base, { javaScriptEnabled: false });
    await page.goto(base + 'sv/modules.html');
    const items = await page.locator('ul.browse li:visible').count();
    assert(items >= 16, `every module listed: ${items}`);
    assert(await page.locator('form.filters').isHidden(), 'filters need JS and stay hidden');
    assert(await page.locator('.needs-js').first().isVisible(), 'a note explains the facet pages');
    await page.goto(base + 'sv/modules/captions-and-transcripts.html');
    assert(await page.locator('main .content').isVisible(), 'content readable');
    await page.context().close();
  });

  await check(`a cross-link leads to another module in the same language ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/modules/captions-and-transcripts.html');
    const link = page.locator('main .content a[href*="/modules/"]').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForLoadState();
    assert(page.url().includes('/sv/modules/'), `landed on ${page.url()} from ${href}`);
    assert(await page.locator('main h1').count() === 1, 'the target has its title');
    if (mode === 'http') await page.screenshot({ path: path.join(shotDir, 'module-sv.png'), fullPage: true });
    await page.context().close();
  });

  await check(`the partial language shows a fallback notice ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'uk/modules/captions-and-transcripts.html');
    const notice = page.locator('main .notice');
    assert(await notice.isVisible(), 'notice visible');
    assert(await page.locator('main .content').getAttribute('lang') === 'en', 'content marked as English');
    await page.goto(base + 'uk/modules/online-safety.html');
    assert(await page.locator('main .notice').count() === 0, 'no notice where the translation exists');
    await page.context().close();
  });

  await check(`the skip link is the first stop and moves focus to the content ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'de/modules/captions-and-transcripts.html');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.className);
    assert(focused.includes('skip'), `first Tab focuses the skip link, got ${focused}`);
    assert(await page.locator('.skip').isVisible(), 'the skip link is visible when focused');
    await page.keyboard.press('Enter');
    assert(page.url().endsWith('#main'), 'skip link jumps to main');
    await page.context().close();
  });

  await check(`pages reflow at 320 px without horizontal scrolling ${suffix}`, async () => {
    const page = await newPage(base, { viewport: { width: 320, height: 640 } });
    for (const [, url] of pageTypes('fr')) {
      await page.goto(base + url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 0, `${url} scrolls sideways by ${overflow}px at 320px`);
    }
    await page.context().close();
  });

  await check(`keyboard focus is always visible ${suffix}`, async () => {
    const page = await newPage(base);
    await page.goto(base + 'sv/modules/captions-and-transcripts.html');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
      assert(!outline.startsWith('none') && !outline.endsWith(' 0px'), `focus ${i + 1} has no visible outline: ${outline}`);
    }
    await page.context().close();
  });

  await designChecks({ check, assert, newPage, axe, base, mode, siteDir, shotDir });

  for (const lang of mode === 'http' ? ['en', 'sv', 'uk'] : ['sv', 'uk']) {
    for (const [type, url] of pageTypes(lang)) {
      await check(`axe: ${type} page in ${lang} has no WCAG 2.2 A/AA violations ${suffix}`, async () => {
        const page = await newPage(base);
        await page.goto(base + url);
        await axe(page, url);
        assert(page.outside.length === 0, `requests left the site: ${page.outside}`);
        assert(page.errors.length === 0, `script errors: ${page.errors}`);
        await page.context().close();
      });
    }
  }

  if (mode === 'http') {
    await check('axe: the root language picker has no violations', async () => {
      const page = await newPage(base);
      await page.goto(base + 'index.html');
      await axe(page, 'index.html');
      await page.context().close();
    });
    await check('the printable handbook prints cleanly', async () => {
      const page = await newPage(base);
      await page.goto(base + 'sv/print/inclusive-teaching.html');
      await page.emulateMedia({ media: 'print' });
      assert(await page.locator('header.site').isHidden(), 'no site header in print');
      assert(await page.locator('footer.site').isHidden(), 'no footer in print');
      assert(await page.locator('form.search').isHidden(), 'no search form in print');
      const breaks = await page.$$eval('section.print-module', (s) => s.map((e) => getComputedStyle(e).breakBefore));
      assert(breaks.length === 8 && breaks.slice(1).every((b) => b === 'page'), `page breaks between modules: ${breaks}`);
      const rule = await page.evaluate(() => [...document.styleSheets].some((sheet) => [...sheet.cssRules].some((r) => r.media && r.media.mediaText === 'print' && r.cssText.includes('attr(href)'))));
      assert(rule, 'links print their URLs');
      const pdf = await page.pdf({ format: 'A4' });
      assert(pdf.length > 10000, 'a PDF is produced');
      await page.context().close();
    });
    // --- print, the print button, browse pages and the offline copy (issue 10) ---
    await check('print media shows the title page with the licence, the contents and every attribution', async () => {
      const page = await newPage(base);
      await page.goto(base + 'sv/print/inclusive-teaching.html');
      const button = page.getByRole('button', { name: 'Skriv ut den här sidan' });
      assert(await button.isVisible(), 'the print button shows with JavaScript');
      await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
      await button.click();
      assert(await page.evaluate(() => window.__printed) === 1, 'the button prints');
      await page.emulateMedia({ media: 'print' });
      assert(await page.locator('header.site').isHidden(), 'no site header in print');
      assert(await button.isHidden(), 'no print button on paper');
      const licence = page.locator('.title-page a[rel=license]');
      assert(await licence.isVisible(), 'the licence is on the title page');
      assert((await licence.textContent()).includes('CC-BY-4.0'), 'the licence names itself');
      assert(await page.locator('.title-page .url').isVisible(), 'the licence URL is printed');
      assert(await page.locator('nav.print-contents').isVisible(), 'the contents list prints');
      const contents = await page.locator('nav.print-contents li').count();
      const sections = await page.locator('section.print-module').count();
      assert(contents === sections && sections > 1, `contents ${contents} = modules ${sections}`);
      assert(await page.locator('nav.print-contents').evaluate((e) => getComputedStyle(e).breakAfter) === 'page',
        'the contents end their page');
      const credits = page.locator('section.print-module > p.attribution');
      assert(await credits.count() === sections && await credits.first().isVisible(), 'an attribution line per module');
      const inside = await page.$$eval('figure, table', (els) => els.every((e) => getComputedStyle(e).breakInside === 'avoid'));
      assert(inside, 'no page break inside figures and tables');
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: path.join(shotDir, 'print-sv.png') });
      await page.pdf({ path: path.join(shotDir, 'handbook-sv.pdf'), format: 'A4' });
      await page.context().close();
    });
    await check('a module page prints without site chrome, with its licence', async () => {
      const page = await newPage(base);
      await page.goto(base + 'de/modules/captions-and-transcripts.html');
      assert(await page.getByRole('button', { name: 'Diese Seite drucken' }).isVisible(), 'a print button');
      await page.emulateMedia({ media: 'print' });
      assert(await page.locator('header.site').isHidden() && await page.locator('footer.site').isHidden(), 'no chrome');
      assert(await page.locator('aside.meta a[rel=license]').isVisible(), 'the licence prints');
      await page.context().close();
    });
    await check('without JavaScript the print button is not offered', async () => {
      const page = await newPage(base, { javaScriptEnabled: false });
      await page.goto(base + 'sv/print/inclusive-teaching.html');
      assert(await page.locator('button.print-button').isHidden(), 'hidden without JavaScript');
      await page.context().close();
    });
    await check('the home page offers the offline copy with its size, and the file is there', async () => {
      const page = await newPage(base);
      await page.goto(base + 'sv/index.html');
      const link = page.locator('main a[download]');
      const text = await link.textContent();
      assert(/\(ZIP, [0-9]+(,[0-9])? (KB|MB)\)/.test(text), `size in the link: ${text}`);
      const href = await link.getAttribute('href');
      const file = path.join(siteDir, 'sv', href.split('/').pop());
      assert((await stat(file)).size > 10000, `${file} exists`);
      await axe(page, 'home with the offline link');
      await page.context().close();
    });
    await check('README screenshots', async () => {
      const page = await newPage(base, { viewport: { width: 1280, height: 800 } });
      await page.goto(base + 'sv/index.html');
      await page.screenshot({ path: path.join(shotDir, 'readme-home.png') });
      await page.goto(base + 'de/modules/accessible-digital-materials.html');
      await page.screenshot({ path: path.join(shotDir, 'readme-module.png') });
      await page.context().close();
    });
    for (const scheme of ['light', 'dark']) {
      await check(`axe: colour contrast holds in the ${scheme} scheme`, async () => {
        const page = await newPage(base, { colorScheme: scheme });
        await page.goto(base + 'sv/modules/captions-and-transcripts.html');
        await axe(page, `module (${scheme})`);
        await page.screenshot({ path: path.join(shotDir, `module-${scheme}.png`) });
        await page.context().close();
      });
    }
  }
}

// --- hostile content: nothing an author writes may run script ---
if (hostileDir) {
  const hostileServer = await serve(hostileDir);
  const bases = [['http', `http://127.0.0.1:${hostileServer.address().port}/`], ['file', pathToFileURL(hostileDir).href + '/']];
  const hostilePages = ['en/modules/raw-html.html', 'en/modules/safe-html.html', 'en/handbooks/all.html',
    'en/print/all.html', 'en/index.html', 'en/modules.html', 'en/search.html?q=script'];
  for (const [mode, base] of bases) {
    for (const rel of hostilePages) {
      await check(`hostile content runs no script: ${rel} (${mode})`, async () => {
        const page = await newPage(base);
        await page.addInitScript(() => {
          window.__ran = [];
          for (const name of ['alert', 'confirm', 'prompt']) window[name] = (m) => window.__ran.push(String(m));
        });
        await page.goto(base + rel);
        await page.waitForLoadState('load');
        // Hover, focus and click whatever content offers, as a curious reader would.
        const targets = await page.locator('main :is(a, span, img, div, details, summary, button, p)').all();
        for (const el of targets.slice(0, 80)) {
          await el.hover({ timeout: 500 }).catch(() => {});
          await el.focus({ timeout: 500 }).catch(() => {});
        }
        for (const el of await page.locator('main a:not([href]), main a[href^="#"], main summary').all()) {
          await el.click({ timeout: 500, noWaitAfter: true }).catch(() => {});
        }
        await page.waitForTimeout(200);
        const ran = await page.evaluate(() => window.__ran);
        assert(ran.length === 0 && page.dialogs.length === 0, `script ran: ${ran.concat(page.dialogs).join(', ')}`);
        assert(page.csp.length === 0, `CSP violations (something slipped through): ${page.csp.join(' | ')}`);
        assert(page.errors.length === 0, `page errors: ${page.errors.join(' | ')}`);
        assert(page.url().startsWith(base), `navigated away to ${page.url()}`);
        if (rel.includes('raw-html')) {
          assert(await page.locator('main h1').innerText().then((t) => t.includes('title')), 'the title is shown as text');
          assert(await page.locator('#after').count() === 1, 'the page is intact after the attacks');
          assert(await page.locator('main script, main iframe, main object, main form, main svg').count() === 0,
            'no script, frame, object, form or svg from content');
        }
        if (rel.includes('safe-html')) {
          assert(await page.locator('main details summary').count() === 1, 'details kept');
          assert(await page.locator('main kbd').count() === 2, 'kbd kept');
          const img = page.locator('main img[width="120"]');
          assert(await img.count() === 1, 'a sized image kept');
          assert(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the raw HTML image loads (its path was rewritten)');
          assert(await page.locator('main iframe[src^="https://www.youtube-nocookie.com/"]').count() === 1, 'the listed embed kept');
          const after = await page.locator('main a', { hasText: "last section" }).getAttribute('href');
          assert(after.endsWith('raw-html.html#after'), `a raw HTML link to another module is rewritten: ${after}`);
        }
        await page.context().close();
      });
    }
  }
  hostileServer.close();
}

await browser.close();
server.close();

// --- the Nu HTML Checker on every page ---
await check('every HTML file passes the Nu HTML Checker', async () => {
  const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
  try {
    // The hostile site too: what the sanitizer leaves must still be valid HTML.
    execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', siteDir, ...(hostileDir ? [hostileDir] : [])], { stdio: 'pipe' });
  } catch (err) {
    const out = String(err.stderr || err.stdout || err).split('\n').filter(Boolean);
    throw new Error(`${out.length} problems:\n       ${out.slice(0, 15).join('\n       ')}`);
  }
});

console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
