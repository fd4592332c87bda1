// The app shell as a parent meets it: installable, five screens reachable from the navigation,
// deep links and the back button, nothing loaded from elsewhere, readable light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { ROOT, SCREENS, finishWelcome, startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
let server;
let browser;
let watched;

before(async () => {
  server = await startServer();
  browser = await launchProfile();
  watched = watchPage(browser.context, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('Chromium finds the app installable, with the manifest a home screen needs', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await finishWelcome(page);
  await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();

  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await page.request.get(new URL(manifestHref, server.url).href)).json();
  for (const field of ['name', 'short_name', 'start_url', 'scope', 'theme_color', 'background_color']) {
    assert.ok(manifest[field], `the manifest has ${field}`);
  }
  assert.equal(manifest.lang, 'nl');
  assert.equal(manifest.display, 'standalone');
  const shortcutUrls = manifest.shortcuts.map((s) => s.url);
  assert.deepEqual(shortcutUrls, ['/', '/activiteiten'], 'shortcuts to Vandaag and Activiteiten');

  for (const size of ['192x192', '512x512']) {
    for (const purpose of ['any', 'maskable']) {
      assert.ok(
        manifest.icons.some((i) => i.sizes === size && i.purpose.split(' ').includes(purpose)),
        `an icon of ${size} for ${purpose}`,
      );
    }
  }
  // Every icon the manifest names loads, and is as large as it says.
  const icons = [...manifest.icons, ...manifest.shortcuts.flatMap((s) => s.icons ?? [])];
  for (const icon of icons) {
    const size = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      return `${img.naturalWidth}x${img.naturalHeight}`;
    }, icon.src);
    assert.equal(size, icon.sizes, `${icon.src} has its stated size`);
  }
  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  assert.equal((await page.request.get(server.url + touchIcon)).status(), 200, 'apple-touch-icon loads');

  const cdp = await browser.context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'no installability errors');
  await page.close();
});

test('each navigation item shows its screen, deep links open it, and back goes back', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await finishWelcome(page);
  const school = JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', 'school.json'), 'utf8'));
  assert.equal((await page.getByRole('banner').innerText()).trim(), school.name, "the school's name on top");
  const nav = page.getByRole('navigation', { name: nl.nav_label });
  for (const screen of SCREENS) {
    await nav.getByRole('link', { name: nl[screen.nav] }).click();
    await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    assert.equal(new URL(page.url()).pathname, screen.path);
    const current = nav.locator('[aria-current="page"]');
    assert.equal(await current.count(), 1, 'exactly one navigation item is current');
    assert.equal((await current.innerText()).trim(), nl[screen.nav]);
  }
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: nl.activities_title }).waitFor();

  for (const screen of SCREENS) {
    await page.goto(server.url + screen.path);
    await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one h1 per screen');
  }
  await page.goto(server.url + '/bestaat-niet');
  await page.getByRole('heading', { level: 1, name: nl.not_found_title }).waitFor();
  await page.close();
});

test('the navigation fits at 320 px wide, with tap targets of at least 44 px', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  // On every screen, since the current item is drawn differently.
  for (const screen of SCREENS) {
    await page.goto(server.url + screen.path);
    await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 320, `nothing sticks out sideways (scrollWidth ${scrollWidth})`);
    const links = page.getByRole('navigation', { name: nl.nav_label }).getByRole('link');
    assert.equal(await links.count(), 5);
    for (const link of await links.all()) {
      const box = await link.boundingBox();
      assert.ok(box.width >= 44 && box.height >= 44, `tap target ${box.width}x${box.height}`);
      assert.ok(box.x >= 0 && box.x + box.width <= 320, 'the item is on screen');
      const label = await link.evaluate((el) => {
        const span = el.querySelector('.bottom-nav__label');
        const lineHeight = parseFloat(getComputedStyle(span).lineHeight);
        return {
          clipped: span.scrollWidth > span.clientWidth,
          lines: Math.round(span.getBoundingClientRect().height / lineHeight),
        };
      });
      const name = await link.innerText();
      assert.equal(label.clipped, false, `the label ${name} is not cut off on ${screen.path}`);
      assert.equal(label.lines, 1, `the label ${name} stays on one line on ${screen.path}`);
    }
  }
  await page.close();
});

test('at 200 % text size nothing sticks out, and the navigation keeps its names', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  for (const screen of SCREENS) {
    await page.goto(server.url + screen.path);
    await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `${screen.path}: nothing sticks out sideways (${scrollWidth})`);
    const nav = page.getByRole('navigation', { name: nl.nav_label });
    for (const other of SCREENS) {
      const link = nav.getByRole('link', { name: nl[other.nav] });
      assert.equal(await link.count(), 1, `${other.nav} keeps its accessible name`);
      const clipped = await link.evaluate((el) => {
        const span = el.querySelector('.bottom-nav__label');
        const hidden = getComputedStyle(span).position === 'absolute';
        return !hidden && span.scrollWidth > span.clientWidth;
      });
      assert.equal(clipped, false, `the label of ${other.nav} is shown whole or not at all`);
    }
  }
  await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'instellingen-200procent.png') });
  await page.close();
});

test('screenshots of every screen at 360x740, light and dark', async () => {
  const dir = join(ROOT, 'out', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const page = await browser.context.newPage();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const screen of SCREENS) {
      await page.goto(server.url + screen.path);
      await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
      assert.equal(dark, scheme === 'dark');
      assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the page has its own background');
      await page.screenshot({ path: join(dir, `${screen.name}-${scheme}.png`) });
    }
  }
  // The narrowest phones still in use.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 320, height: 640 });
  for (const screen of SCREENS) {
    await page.goto(server.url + screen.path);
    await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    await page.screenshot({ path: join(dir, `${screen.name}-320.png`) });
  }
  await page.close();
});

test('a first visit paints the welcome before the app runs, and the app takes it over unchanged', async () => {
  // index.html carries a copy of the welcome, so that a slow phone shows it before the wasm has
  // arrived; the copy must say what the app then draws, and must not stay beside it.
  const fresh = await launchProfile();
  try {
    const visible = (page) =>
      page.evaluate(() => {
        const text = (selector) => document.querySelector(selector)?.innerText.trim() ?? null;
        return {
          bar: text('.topbar'),
          main: text('main'),
          nav: text('nav.bottom-nav'),
          mains: document.querySelectorAll('main').length,
        };
      });
    const still = await fresh.context.newPage();
    await still.route(/\.wasm$/, (route) => route.abort());
    await still.goto(server.url + '/');
    await still.getByRole('heading', { level: 1, name: nl.welcome_title }).waitFor();
    const painted = await visible(still);
    assert.equal(await still.locator('.laden').isVisible(), false, 'the welcome, not the loading message');
    await still.close();

    const page = await fresh.context.newPage();
    await page.goto(server.url + '/');
    await page.getByRole('button', { name: nl.welcome_start, disabled: false }).waitFor();
    const app = await visible(page);
    assert.deepEqual(painted, app, 'the prerendered welcome is what the app draws');
    assert.equal(app.mains, 1, 'the copy is gone once the app runs');

    // A returning parent (something stored) gets the loading message, never the welcome.
    await finishWelcome(page);
    // (The worker now answers, past any route: ask the page's own script what it chose.)
    const again = await fresh.context.newPage();
    await again.goto(server.url + '/');
    await again.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    assert.equal(
      await again.evaluate(() => document.documentElement.hasAttribute('data-welkom')),
      false,
      'no prerendered welcome for a returning parent',
    );
  } finally {
    await fresh.close();
  }
});

test('a returning parent sees the top bar and the navigation around the loading message, then the app', async () => {
  // With the wasm held back, what index.html itself paints; the app (which also registers the
  // worker) never runs on this page.
  const phone = await launchProfile();
  try {
    const page = await phone.context.newPage();
    await page.route(/\.wasm$/, (route) => route.abort());
    await page.goto(server.url + '/');
    const settings = (lang) =>
      page.evaluate((lang) => {
        const data = { lang, parents: ['Sam'], welcomed: true };
        localStorage.setItem('driehoek.v1.settings', JSON.stringify({ schema: 1, data }));
      }, lang);
    const loading = page.getByRole('status').filter({ hasText: 'Driehoek wordt geladen' });
    const nav = page.getByRole('navigation', { name: nl.nav_label });

    await settings('nl');
    await page.reload();
    await loading.waitFor();
    await nav.waitFor();
    for (const screen of SCREENS) {
      assert.ok(await nav.getByRole('link', { name: nl[screen.nav], exact: true }).isVisible(), `${nl[screen.nav]} in the navigation`);
    }
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 0, 'no screen, and not the welcome');
    assert.ok(await page.locator('header.topbar').isVisible(), 'the top bar');
    const box = await loading.boundingBox();
    const bar = await page.locator('header.topbar').boundingBox();
    assert.ok(box.y >= bar.y + bar.height, 'the message below the top bar');

    // In another language the Dutch navigation would flash: the message alone.
    await settings('en');
    await page.reload();
    await loading.waitFor();
    assert.equal(await nav.isVisible(), false, 'no Dutch navigation for a parent who chose English');
    // And at another address the shell's "Vandaag" would be marked wrongly: the message alone.
    await settings('nl');
    await page.goto(server.url + '/maandinfo');
    await loading.waitFor();
    assert.equal(await nav.isVisible(), false, 'the shell only at the start screen');
    await page.close();

    // With the app: its own top bar, navigation and screen take the shell's place.
    const app = await phone.context.newPage();
    await app.goto(server.url + '/');
    await app.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    assert.equal(await app.locator('nav.bottom-nav').count(), 1, 'one navigation');
    assert.equal(await app.locator('header.topbar').count(), 1, 'one top bar');
    assert.equal(await app.locator('main').count(), 1, 'one main');
    assert.equal(await app.getByRole('status').filter({ hasText: 'Driehoek wordt geladen' }).count(), 0);
  } finally {
    await phone.close();
  }
});

test('the app requests nothing from any origin but its own, and shows no error', () => {
  assert.deepEqual(watched.foreign, [], 'no request to another origin');
  assert.deepEqual(watched.problems, [], 'no error in the page');
});
