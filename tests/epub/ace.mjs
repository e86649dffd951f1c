// DAISY Ace on EPUB files, in one Node process: `node ace.mjs OUT_DIR BOOK.epub…`.
// Prints one line per violation (`book: rule (impact) in file: message`) and a summary line per
// book; exits 1 if any book has a violation, 2 if Ace itself fails. Chromium is Debian's
// (PUPPETEER_EXECUTABLE_PATH, default /usr/bin/chromium): nothing is downloaded.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
process.env.PUPPETEER_EXECUTABLE_PATH ||= process.env.CHROMIUM || "/usr/bin/chromium";
const ace = require("@daisy/ace-core");
const logger = require("@daisy/ace-logger");
const axeRunner = require("@daisy/ace-axe-runner-puppeteer");

const [outdir, ...books] = process.argv.slice(2);
// Ace checks 4 chapters of a book at a time; most of that time is spent waiting, not computing.
axeRunner.concurrency = Number(process.env.ACE_CONCURRENCY || 4);
logger.initLogger({ verbose: false, silent: true });

let violations = 0;
for (const book of books) {
  const started = Date.now();
  const name = path.basename(book);
  let report;
  try {
    [, report] = await ace(path.resolve(book), {
      cwd: process.cwd(),
      outdir: path.join(outdir, name),
      silent: true,
      jobId: "",
    }, axeRunner);
  } catch (e) {
    console.error(`${name}: Ace failed: ${e && e.message ? e.message : e}`);
    process.exit(2);
  }
  let count = 0;
  for (const doc of report.assertions || []) {
    for (const a of doc.assertions || []) {
      if (a["earl:result"]["earl:outcome"] !== "fail") continue;
      count++;
      const test = a["earl:test"];
      console.log(`${name}: ${test["dct:title"]} (${test["earl:impact"]}) in ${doc["earl:testSubject"]?.url}: ${a["earl:result"]["dct:description"]}`);
    }
  }
  violations += count;
  const outcome = report["earl:result"]["earl:outcome"];
  console.log(`${name}: ${count} violations, outcome ${outcome}, ${Date.now() - started} ms`);
  if (outcome !== "pass" && count === 0) violations++;
}
process.exit(violations ? 1 : 0);
