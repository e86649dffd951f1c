// Runs the search evaluation: the real browser-side engine (themes/default/search.js) against a
// built site's index files, for each query of the set read as JSON on stdin.
//
//   node tests/search/eval.mjs SITE_DIR < queries.json
//
// Prints one line per query that misses, a line per language, and the score line that
// tests/search_eval.rs reads: "search eval: 61/64 = 95.3 %".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const site = path.resolve(process.argv[2]);
const engineSource = readFileSync(new URL('../../themes/default/search.js', import.meta.url), 'utf8');
const queries = JSON.parse(readFileSync(0, 'utf8'));

// One context per language: index files call the global `handbokSearch` of their page.
const engines = {};
function engineFor(lang) {
  if (engines[lang]) return engines[lang];
  const context = vm.createContext({ TextEncoder, console });
  vm.runInContext(engineSource, context, { filename: 'search.js' });
  const engine = new context.HandbokSearch.Engine((name, done) => {
    try {
      vm.runInContext(readFileSync(path.join(site, lang, 'search', name), 'utf8'), context, { filename: name });
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    done();
  });
  engines[lang] = new Promise((resolve, reject) => engine.start((ok) => (ok ? resolve(engine) : reject(new Error(`no index for ${lang}`)))));
  return engines[lang];
}

function ask(engine, q, top) {
  return new Promise((resolve) => engine.search(q, () => true, (hits, marks) => {
    engine.documents(hits.slice(0, top), (docs) => resolve({ ids: docs.map((d) => d && d[0]), hits, marks, docs }));
  }));
}

let passed = 0;
const perLang = {};
for (const { q, lang, expect, top } of queries) {
  const engine = await engineFor(lang);
  const { ids } = await ask(engine, q, Math.max(top, 5));
  const rank = ids.findIndex((id) => expect.includes(id));
  const ok = rank >= 0 && rank < top;
  perLang[lang] = perLang[lang] || [0, 0];
  perLang[lang][1]++;
  if (ok) { passed++; perLang[lang][0]++; } else {
    console.log(`miss [${lang}] "${q}": expected ${expect.join('|')} in top ${top}, got ${ids.slice(0, 5).join(', ') || 'nothing'}`);
  }
}
for (const [lang, [ok, all]] of Object.entries(perLang)) console.log(`  ${lang}: ${ok}/${all}`);
const percent = (100 * passed / queries.length).toFixed(1);
console.log(`search eval: ${passed}/${queries.length} = ${percent} %`);
