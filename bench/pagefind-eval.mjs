// Scores Pagefind on the search evaluation's queries, for comparison with handbok's own search.
//
//   handbok build --out SITE
//   npx pagefind --site SITE --glob "*/modules/*.html"       (module pages only, as handbok's index)
//   for l in en sv de fr uk; do echo "<!doctype html><html lang=$l><meta charset=utf-8>" > SITE/pf-$l.html; done
//   python3 -c 'import yaml,json,sys; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' tests/search/queries.yaml > q.json
//   node bench/pagefind-eval.mjs SITE q.json
//
// The blank pf-<lang>.html pages pick Pagefind's index for that language (by `lang`) and carry no
// CSP (Pagefind needs WebAssembly, which handbok's CSP does not allow).
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [root, queryFile] = process.argv.slice(2).map((p) => path.resolve(p));
const types = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  try { const body = await readFile(path.join(root, p)); res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream' }).end(body); } catch { res.writeHead(404).end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const queries = JSON.parse(readFileSync(queryFile, 'utf8'));
const pages = {};
let ok = 0;
for (const { q, lang, expect, top } of queries) {
  if (!pages[lang]) { pages[lang] = await browser.newPage(); await pages[lang].goto(`${base}pf-${lang}.html`); await pages[lang].evaluate(async () => { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }); }
  const urls = await pages[lang].evaluate(async (q) => { const r = await window.pf.search(q); const d = await Promise.all(r.results.slice(0, 5).map((x) => x.data())); return d.map((x) => x.url); }, q);
  const ids = urls.map((u) => (u.match(/modules\/([^/.]+)\.html/) || [])[1]);
  const rank = ids.findIndex((id) => expect.includes(id));
  if (rank >= 0 && rank < top) ok++; else console.log(`miss [${lang}] ${q}: ${ids.join(', ')}`);
}
console.log(`pagefind: ${ok}/${queries.length} = ${(100 * ok / queries.length).toFixed(1)} %`);
await browser.close(); server.close();
