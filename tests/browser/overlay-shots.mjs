// Screenshots of `handbok serve`'s problems overlay at phone (390×844) and desktop (1280×800)
// sizes, for looking at, not asserting: node overlay-shots.mjs PROJECT OUTDIR
// (PROJECT: a copy of a project to break; the handbok binary is HANDBOK_BIN).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [project, out] = process.argv.slice(2);
const bin = process.env.HANDBOK_BIN || 'target/release/handbok';
const server = spawn(bin, ['serve', '--root', project, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  const seen = (chunk) => {
    text += chunk;
    const m = text.match(/http:\/\/127\.0\.0\.1:\d+\//);
    if (m) resolve(m[0]);
  };
  server.stdout.on('data', seen);
  server.stderr.on('data', seen);
  setTimeout(() => reject(new Error('no address: ' + text)), 30000);
});
const file = path.join(project, 'guidelines/inclusion/captions-and-transcripts.md');
const original = fs.readFileSync(file, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
    const page = await browser.newPage({ viewport });
    await page.goto(url + 'en/modules/captions-and-transcripts.html');
    await page.waitForTimeout(300);
    fs.writeFileSync(file, original.replace('levels:', 'levels: [primry]\nlevels2:'));
    await page.waitForSelector('[role="alertdialog"]', { timeout: 10000 });
    await page.screenshot({ path: path.join(out, `serve-overlay-${name}.png`) });
    fs.writeFileSync(file, original);
    await page.waitForSelector('[role="alertdialog"]', { state: 'detached', timeout: 10000 });
    await page.close();
  }
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
  server.kill();
}
