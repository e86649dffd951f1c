// The look of the site, checked as a teacher meets it (issue 10, "results first" and "a visual
// design"): the first result on the first screen at phone and desktop sizes, filters folded
// into a disclosure that counts what is chosen, one search box per page on phones, the menu
// that works without JavaScript, breadcrumb and handbook navigation, the publisher's logo and
// favicon, contrast in the dark and high-contrast themes, and the module page's weight.
// Called by run.mjs for each way the site is opened (http, file://).

import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

export async function designChecks({ check, assert, newPage, axe, base, mode, siteDir, shotDir }) {
  const suffix = `(${mode})`;

  // Where the first result starts, once it is there.
  async function firstTop(page, selector) {
    await page.locator(selector).first().waitFor({ timeout: 5000 });
    return page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top, selector);
  }

  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await check(`the first search result is on the first screen at ${viewport.width}×${viewport.height} ${suffix}`, async () => {
      const page = await newPage(base, { viewport });
      for (const url of ['sv/search.html?q=elever', 'en/search.html?q=learners', 'de/search.html?q=Untertitel']) {
        await page.goto(base + url);
        const top = await firstTop(page, 'ol.results li');
        assert(top < viewport.height, `${url}: the first result starts at ${Math.round(top)} px, below the first screen (${viewport.height})`);
      }
      if (mode === 'http') await page.screenshot({ path: path.join(shotDir, `search-first-screen-${size}.png`) });
      await page.context().close();
    });
    await check(`the first module of the browse page is on the first screen at ${viewport.width}×${viewport.height} ${suffix}`, async () => {
      const page = await newPage(base, { viewport });
      for (const lang of ['sv', 'de', 'uk']) {
        await page.goto(base + `${lang}/modules.html`);
        const top = await firstTop(page, 'ul.browse li');
        assert(top < viewport.height, `${lang}: the first module starts at ${Math.round(top)} px (${viewport.height})`);
      }
      await page.context().close();
    });
  }

  await check(`filters fold into a disclosure that says how many are chosen ${suffix}`, async () => {
    const page = await newPage(base, { viewport: PHONE });
    await page.goto(base + 'sv/modules.html');
    const box = page.locator('details.filters-box');
    assert(await box.isVisible(), 'the disclosure is shown (JavaScript on)');
    assert(!(await box.evaluate((d) => d.open)), 'closed at first: the list comes first');
    assert(await page.locator('form.filters input[name=levels]').first().isHidden(), 'the checkboxes are folded away');
    const count = page.locator('details.filters-box summary .filter-count');
    assert((await count.textContent()) === '', 'no count while nothing is chosen');
    await box.locator('summary').click();
    await page.locator('form.filters input[name=levels][value=isced-1]').check();
    await page.locator('form.filters input[name=needs][value=dyslexia]').check();
    assert(/2/.test(await count.textContent()), `the summary counts 2: ${await count.textContent()}`);
    // A shared address opens with the same count, the disclosure still closed.
    await page.reload();
    assert(!(await box.evaluate((d) => d.open)), 'closed after a reload');
    assert(/2/.test(await count.textContent()), `the count survives a reload: ${await count.textContent()}`);
    await page.context().close();
  });

  await check(`one search box per page on a phone ${suffix}`, async () => {
    const page = await newPage(base, { viewport: PHONE });
    const visibleBoxes = () => page.locator('input[type=search]:visible').count();
    await page.goto(base + 'sv/search.html?q=elever');
    assert(await visibleBoxes() === 1, `the search page shows one search box, not ${await visibleBoxes()}`);
    assert(await page.locator('header input[type=search]').count() === 0, 'the header has none on the search page');
    await page.goto(base + 'sv/modules/captions-and-transcripts.html');
    assert(await visibleBoxes() === 0, 'other pages keep the header box in the closed menu');
    await page.locator('details.menu > summary').click();
    assert(await visibleBoxes() === 1, 'the menu shows one search box');
    await page.locator('header form.search input').focus();
    await page.keyboard.press('Escape');
    assert(!(await page.locator('details.menu').evaluate((d) => d.open)), 'Escape closes the menu');
    assert(await page.locator('details.menu > summary').evaluate((e) => e === document.activeElement), 'focus returns to the menu button');
    await page.context().close();
  });

  await check(`the phone menu opens without JavaScript and holds navigation, search and languages ${suffix}`, async () => {
    const page = await newPage(base, { viewport: PHONE, javaScriptEnabled: false });
    await page.goto(base + 'de/modules/captions-and-transcripts.html');
    const summary = page.locator('details.menu > summary');
    assert(await summary.isVisible(), 'a menu button on phones');
    assert(await page.locator('header nav.main-nav a').first().isHidden(), 'the navigation is folded away');
    const headerHeight = await page.locator('header.site').evaluate((h) => h.getBoundingClientRect().height);
    assert(headerHeight <= 100, `the header is compact on a phone: ${headerHeight}px`);
    await summary.click();
    assert(await page.locator('header nav.main-nav a').first().isVisible(), 'the menu shows the navigation');
    assert(await page.locator('header form.search input').isVisible(), 'and the search box');
    assert(await page.locator('header nav.langs a[lang=sv]').isVisible(), 'and the languages');
    if (mode === 'http') await page.screenshot({ path: path.join(shotDir, 'menu-phone.png') });
    await page.context().close();
  });

  await check(`the desktop header is one row with everything in it ${suffix}`, async () => {
    const page = await newPage(base, { viewport: DESKTOP });
    await page.goto(base + 'de/modules/accessible-digital-materials.html');
    assert(await page.locator('details.menu > summary').isHidden(), 'no menu button on a desktop');
    const header = await page.locator('header.site').evaluate((h) => h.getBoundingClientRect().height);
    assert(header <= 96, `compact: the header is ${header}px high`);
    const middles = [];
    for (const sel of ['header .brand', 'header nav.main-nav a', 'header form.search input', 'header .settings > summary', 'header .langs-menu > summary']) {
      const item = page.locator(sel).first();
      assert(await item.isVisible(), `${sel} is visible`);
      const box = await item.boundingBox();
      middles.push(box.y + box.height / 2);
    }
    assert(Math.max(...middles) - Math.min(...middles) < 16, `one row: the items' middles are at ${middles.map(Math.round)}`);
    // The language list floats over the page: Escape or a click elsewhere closes it.
    const langs = page.locator('header details.langs-menu');
    await langs.locator('summary').click();
    assert(await page.locator('header nav.langs a[lang=sv]').isVisible(), 'the language list opens');
    await page.keyboard.press('Escape');
    assert(!(await langs.evaluate((d) => d.open)), 'Escape closes the language list');
    assert(await langs.locator('summary').evaluate((e) => e === document.activeElement), 'focus returns to its button');
    await langs.locator('summary').click();
    await page.locator('main h1').click();
    assert(!(await langs.evaluate((d) => d.open)), 'a click elsewhere closes it');
    await page.context().close();
  });

  await check(`a module shows where it is: breadcrumb, its handbook beside the text, previous and next ${suffix}`, async () => {
    const page = await newPage(base, { viewport: DESKTOP });
    await page.goto(base + 'sv/modules/accessible-digital-materials.html');
    const crumbs = page.locator('nav.crumbs');
    assert(await crumbs.getAttribute('aria-label') === 'Länkstig', 'the breadcrumb is a labelled navigation');
    const trail = await crumbs.locator('li').allInnerTexts();
    assert(trail.length === 3 && trail[0] === 'Startsida' && /Inkluderande/.test(trail[1]), `home › handbook › module: ${trail}`);
    assert(await crumbs.locator('li').last().getAttribute('aria-current') === 'page', 'the module is the current page');
    const side = page.locator('nav.handbook-side');
    assert(await side.isVisible(), 'the handbook list is beside the text');
    const sideBox = await side.boundingBox();
    const textBox = await page.locator('main article .content').boundingBox();
    assert(sideBox.x + sideBox.width <= textBox.x, 'beside, not above');
    assert(await side.locator('a[aria-current=page]').count() === 1, 'the module is marked in the list');
    assert(await page.locator('nav.pager a[rel=prev]').count() === 1 && await page.locator('nav.pager a[rel=next]').count() === 1, 'previous and next');
    const toc = page.locator('nav.toc');
    assert(await toc.evaluate((t) => getComputedStyle(t).position) === 'sticky', 'on this page stays in view');
    const chips = await page.locator('.facts .chips a').count();
    assert(chips >= 3, `levels, subjects and needs as chips: ${chips}`);
    assert(/min/.test(await page.locator('.facts .when').innerText()), 'reading time shown');
    await page.locator('nav.pager a[rel=next]').click();
    await page.waitForURL(/assistive-technologies\.html$/);
    await page.context().close();
  });

  await check(`the publisher's logo and the favicon load ${suffix}`, async () => {
    const page = await newPage(base, { viewport: DESKTOP });
    await page.goto(base + 'fr/modules/online-safety.html');
    const logo = page.locator('header img.logo');
    assert(await logo.evaluate((i) => i.complete && i.naturalWidth > 0), 'the logo loads');
    assert(await page.locator('header .publisher').innerText() === 'Digital Pedagogy Working Group', 'the publisher is named');
    const icon = await page.locator('link[rel=icon]').evaluate((l) => l.href);
    const ok = await page.evaluate(async (href) => new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve(img.naturalWidth > 0);
      img.onerror = () => resolve(false);
      img.src = href;
    }), icon);
    assert(ok, `the favicon loads: ${icon}`);
    assert(page.outside.length === 0, `requests left the site: ${page.outside}`);
    await page.context().close();
  });

  if (mode !== 'http') return;

  for (const [theme, scheme] of [['dark', 'dark'], ['contrast', 'dark'], ['', 'dark'], ['light', 'light']]) {
    await check(`axe: contrast holds on home, module, browse and search in the ${theme || 'system dark'} theme`, async () => {
      const page = await newPage(base, { colorScheme: scheme, viewport: DESKTOP });
      if (theme) await page.addInitScript((t) => localStorage.setItem('handbok', JSON.stringify({ theme: t })), theme);
      for (const url of ['sv/index.html', 'sv/modules/captions-and-transcripts.html', 'sv/modules.html', 'sv/search.html?q=elever']) {
        await page.goto(base + url);
        if (url.includes('search')) await page.locator('ol.results li').first().waitFor({ timeout: 5000 });
        await axe(page, `${url} (${theme || 'system dark'})`);
      }
      await page.context().close();
    });
  }

  await check('a module page weighs at most 30 KB gzipped with its stylesheet and script', async () => {
    const assets = (await readdir(path.join(siteDir, 'assets'))).filter((f) => /\.(css|js)$/.test(f));
    const gz = async (file) => gzipSync(await readFile(file), { level: 9 }).length;
    let shared = 0;
    for (const a of assets) shared += await gz(path.join(siteDir, 'assets', a));
    let heaviest = ['', 0];
    for (const lang of await readdir(siteDir)) {
      const dir = path.join(siteDir, lang, 'modules');
      let files;
      try { files = await readdir(dir); } catch { continue; }
      for (const f of files) {
        const size = await gz(path.join(dir, f));
        if (size > heaviest[1]) heaviest = [`${lang}/modules/${f}`, size];
      }
    }
    const total = heaviest[1] + shared;
    console.log(`     heaviest module page ${heaviest[0]}: ${heaviest[1]} B gz + CSS and JS ${shared} B gz = ${total} B`);
    assert(total <= 30 * 1024, `${heaviest[0]} with CSS and JS is ${total} B gzipped, over 30 KB`);
  });
}
