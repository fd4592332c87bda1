// Six languages (issue 17, items 3 and 11): the first run in the phone's language, a language
// choice on the welcome's first screen, Arabic from right to left, school texts the school wrote
// only in Dutch marked as such, and a chosen language that stays when the app starts offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const T = Object.fromEntries(['nl', 'en', 'ar', 'tr', 'pl', 'uk'].map((l) => [l, texts(l)]));

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

/** A new phone set to `locale`, on the app's first screen; closed by the test. */
async function firstRun(locale) {
  const browser = await launchProfile({ locale });
  const watched = watchPage(browser.context, server.url);
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  return { browser, page, watched };
}

/** Opens the app with the settings of a parent who chose `lang` and went through the welcome. */
async function openIn(page, lang) {
  await page.goto(server.url + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.evaluate((lang) => {
    localStorage.setItem(
      'driehoek.v1.settings',
      JSON.stringify({ schema: 1, data: { lang, welcomed: true } }),
    );
  }, lang);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: T[lang].today_title }).waitFor();
}

const htmlAttr = (page, name) => page.evaluate((name) => document.documentElement.getAttribute(name), name);

test('a phone set to British English gets the welcome in English', async () => {
  const { browser, page, watched } = await firstRun('en-GB');
  try {
    await page.getByRole('heading', { level: 1, name: T.en.welcome_title }).waitFor();
    await page.getByRole('button', { name: T.en.welcome_start }).waitFor();
    assert.equal(await htmlAttr(page, 'lang'), 'en');
    const chosen = page.getByRole('radio', { name: 'English' });
    assert.equal(await chosen.isChecked(), true, 'the choice shows English');
    // Nothing is kept before the parent chooses: the phone's language is only a first guess.
    const kept = await page.evaluate(() => localStorage.getItem('driehoek.v1.settings'));
    assert.ok(!kept || !JSON.parse(kept).data.lang, `no language kept yet: ${kept}`);
    assert.deepEqual(watched.problems, []);
  } finally {
    await browser.close();
  }
});

test('a phone set to Polish gets the welcome in Polish; an unknown language gets Dutch', async () => {
  const pl = await firstRun('pl-PL');
  try {
    await pl.page.getByRole('heading', { level: 1, name: T.pl.welcome_title }).waitFor();
    await pl.page.getByText(T.pl.welcome_privacy).waitFor();
    assert.equal(await htmlAttr(pl.page, 'lang'), 'pl');
    assert.equal(await htmlAttr(pl.page, 'dir'), 'ltr');
  } finally {
    await pl.browser.close();
  }
  const fr = await firstRun('fr-FR');
  try {
    await fr.page.getByRole('heading', { level: 1, name: T.nl.welcome_title }).waitFor();
  } finally {
    await fr.browser.close();
  }
});

test('the welcome offers every language in itself, and choosing Türkçe switches the texts', async () => {
  const { browser, page, watched } = await firstRun('nl-NL');
  try {
    await page.getByRole('heading', { level: 1, name: T.nl.welcome_title }).waitFor();
    const choice = page.getByRole('group', { name: T.nl.settings_language_label });
    for (const name of ['Nederlands', 'English', 'العربية', 'Türkçe', 'Polski', 'Українська']) {
      await choice.getByRole('radio', { name }).waitFor();
    }
    // A translation no person checked says so, in its own language.
    await choice.getByText(T.tr.language_unchecked).waitFor();
    await choice.getByText(T.uk.language_unchecked).waitFor();

    await choice.getByRole('radio', { name: 'Türkçe' }).check();
    await page.getByRole('heading', { level: 1, name: T.tr.welcome_title }).waitFor();
    await page.getByRole('button', { name: T.tr.welcome_start }).waitFor();
    assert.equal(await htmlAttr(page, 'lang'), 'tr');
    // A bad sentence can be reported to the school, by mail.
    const report = page.getByRole('link', { name: T.tr.language_report });
    assert.match(await report.getAttribute('href'), /^mailto:info@wilgenhoek\.example\.nl\?subject=/);

    // The choice is kept: the app opens in Turkish again.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: T.tr.welcome_title }).waitFor();
    assert.deepEqual(watched.problems, []);
  } finally {
    await browser.close();
  }
});

test('Arabic is right to left: dir="rtl" and the bottom navigation starts at the right', async () => {
  const { browser, page, watched } = await firstRun('ar-MA');
  try {
    await page.getByRole('heading', { level: 1, name: T.ar.welcome_title }).waitFor();
    assert.equal(await htmlAttr(page, 'dir'), 'rtl');
    assert.equal(await htmlAttr(page, 'lang'), 'ar');
    await openIn(page, 'ar');
    assert.equal(await htmlAttr(page, 'dir'), 'rtl');
    const nav = page.getByRole('navigation', { name: T.ar.nav_label });
    const first = await nav.getByRole('link', { name: T.ar.nav_today }).boundingBox();
    const last = await nav.getByRole('link', { name: T.ar.nav_settings }).boundingBox();
    assert.ok(first.x > last.x, `"${T.ar.nav_today}" (x ${first.x}) is right of "${T.ar.nav_settings}" (x ${last.x})`);
    assert.ok(first.x + first.width > 300, 'the first item is at the right edge of a 360 px screen');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll (${overflow} px)`);
    assert.deepEqual(watched.problems, []);
  } finally {
    await browser.close();
  }
});

test('a school item without a Polish translation shows in Dutch, marked "(Nederlands)"', async () => {
  const { browser, page, watched } = await firstRun('nl-NL');
  try {
    await openIn(page, 'pl');
    await page.getByRole('navigation').getByRole('link', { name: T.pl.nav_bulletins }).click();
    await page.getByRole('heading', { level: 1, name: T.pl.bulletins_title }).waitFor();
    const item = page.locator('.bulletin-item').first();
    const label = item.getByText('(Nederlands)');
    await label.waitFor();
    assert.equal(await label.getAttribute('lang'), 'nl');
    // The school's Dutch text itself is marked Dutch, for a screen reader's voice.
    assert.equal(await item.locator('.bulletin-item__text').getAttribute('lang'), 'nl');
    assert.equal(await item.getByRole('heading').getAttribute('lang'), 'nl');
    // The app's own words around it are Polish.
    assert.equal(await htmlAttr(page, 'lang'), 'pl');
    await item.getByRole('button', { name: T.pl.bulletins_mark_read }).waitFor();

    // In English, the demo school's own translation is shown, without the label.
    await openIn(page, 'en');
    await page.getByRole('navigation').getByRole('link', { name: T.en.nav_bulletins }).click();
    await page.getByRole('heading', { level: 1, name: T.en.bulletins_title }).waitFor();
    await page.locator('.bulletin-item').first().waitFor();
    assert.equal(await page.getByText('(Nederlands)').count(), 0);
    assert.deepEqual(watched.problems, []);
  } finally {
    await browser.close();
  }
});

test('after choosing Ukrainian, the app starts offline in Ukrainian', async () => {
  const { browser, page, watched } = await firstRun('nl-NL');
  const own = await startServer();
  try {
    await page.goto(own.url + '/');
    await page.getByRole('heading', { level: 1, name: T.nl.welcome_title }).waitFor();
    await page.getByRole('radio', { name: 'Українська' }).check();
    await page.getByRole('heading', { level: 1, name: T.uk.welcome_title }).waitFor();
    await waitForServiceWorker(page);

    await own.stop();
    await browser.context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: T.uk.welcome_title }).waitFor();
    assert.equal(await htmlAttr(page, 'lang'), 'uk');
    assert.deepEqual(watched.foreign.filter((u) => !u.startsWith(own.url)), []);
  } finally {
    await browser.close();
    await own.stop();
  }
});

test('only the chosen language is downloaded: none for Dutch, English when English is chosen', async () => {
  // The wasm carries the Dutch texts; each other language is a file of its own (issue 18).
  const browser = await launchProfile({ locale: 'nl-NL', serviceWorkers: 'block' });
  try {
    const watched = watchPage(browser.context, server.url);
    const asked = [];
    browser.context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/lang/')) asked.push(path);
    });
    const page = await browser.context.newPage();
    await openIn(page, 'nl');
    await page.getByRole('navigation').getByRole('link', { name: T.nl.nav_settings, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: T.nl.settings_title }).waitFor();
    assert.deepEqual(asked, [], 'a Dutch parent downloads no other language');

    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { level: 1, name: T.en.settings_title }).waitFor();
    assert.deepEqual(asked, ['/lang/en.json'], 'English, and only English');
    assert.deepEqual(watched.problems, []);
  } finally {
    await browser.close();
  }
});

test('a language that cannot be loaded: the choice goes back, the app says so and stays usable', async () => {
  const browser = await launchProfile({ locale: 'nl-NL', serviceWorkers: 'block' });
  try {
    const page = await browser.context.newPage();
    await page.route('**/lang/tr.json', (route) => route.abort('internetdisconnected'));
    await openIn(page, 'nl');
    await page.getByRole('navigation').getByRole('link', { name: T.nl.nav_settings, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: T.nl.settings_title }).waitFor();

    // A tap (not `check()`, which would insist that the choice stays made: it goes back).
    await page.getByRole('radio', { name: 'Türkçe' }).click();
    await page.getByRole('status').filter({ hasText: T.nl.language_load_failed }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'Nederlands' }).isChecked(), true, 'back to Dutch');
    assert.equal(await page.getByRole('radio', { name: 'Türkçe' }).isChecked(), false);
    assert.equal(await htmlAttr(page, 'lang'), 'nl');
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('driehoek.v1.settings')).data.lang);
    assert.equal(kept, 'nl', 'the failed choice is not kept');

    // Once the file can be had, the same choice works.
    await page.unroute('**/lang/tr.json');
    await page.getByRole('radio', { name: 'Türkçe' }).check();
    await page.getByRole('heading', { level: 1, name: T.tr.settings_title }).waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: T.nl.language_load_failed }).count(), 0);
  } finally {
    await browser.close();
  }
});
