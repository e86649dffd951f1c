// Measures what a reader downloads for a first search: every file the search page fetches, from
// a fresh browser, for one query.
//
//   node bench/first-search.mjs SITE_DIR LANG QUERY
//
// Needs tests/browser's node_modules (playwright-core) and Debian's chromium.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [site, lang, query] = process.argv.slice(2);
const root = path.resolve(site);
const server = createServer(async (req, res) => {
  try {
    const body = await readFile(path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    res.writeHead(200).end(body);
  } catch { res.writeHead(404).end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const files = [];
page.on('response', async (r) => {
  if (r.url().includes('/search/')) {
    const body = await r.body();
    files.push([r.url().split('/search/')[1], body.length, gzipSync(body).length]);
  }
});
await page.goto(`${base}${lang}/search.html?q=${encodeURIComponent(query)}`);
await page.waitForFunction(() => document.querySelector('.status').textContent.length > 0, null, { timeout: 20000 });
await page.waitForTimeout(500);
const hits = await page.locator('ol.results li').count();
const raw = files.reduce((a, f) => a + f[1], 0), gz = files.reduce((a, f) => a + f[2], 0);
console.log(`${lang} "${query}": ${hits} results shown; ${files.length} files, ${raw} bytes (${gz} gzipped)`);
for (const [name, size, zipped] of files) console.log(`  ${name}: ${size} (${zipped})`);
await browser.close();
server.close();
