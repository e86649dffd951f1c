// Screenshots of the built sample site for looking at, not asserting (README's "What teachers
// see"): node design-shots.mjs SITE_DIR OUTDIR PREFIX [SCHEME]
// The first screen only (not the full page), at phone (390×844) and desktop (1280×800) sizes.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const [siteDir, out, prefix, scheme = 'light'] = process.argv.slice(2).map((a, i) => (i < 2 ? path.resolve(a) : a));
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  let file = path.join(siteDir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' }).end(await readFile(file));
  } catch { res.writeHead(404).end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const pages = [
  ['home', 'sv/index.html'],
  ['module', 'de/modules/accessible-digital-materials.html'],
  ['modules', 'sv/modules.html'],
  ['search', 'sv/search.html?q=textning'],
  ['handbook', 'fr/handbooks/inclusive-teaching.html'],
  ['facet', 'en/levels/primary.html'],
];
const only = process.env.PAGES ? process.env.PAGES.split(',') : null;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [size, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
  const context = await browser.newContext({ viewport, colorScheme: scheme });
  const page = await context.newPage();
  for (const [name, url] of pages) {
    if (only && !only.includes(name)) continue;
    await page.goto(base + url);
    await page.waitForTimeout(name === 'search' ? 700 : 150);
    const first = await page.evaluate(() => {
      const r = document.querySelector('ol.results li, ul.browse li');
      return r ? Math.round(r.getBoundingClientRect().top) : null;
    });
    if (first !== null) console.log(`${prefix} ${size} ${name}: first result at y=${first}`);
    await page.screenshot({ path: path.join(out, `${prefix}-${name}-${size}${scheme === 'dark' ? '-dark' : ''}.png`) });
  }
  await context.close();
}
await browser.close();
server.close();
