// A big school on a phone: a year of maandinfo (180 items) and 50 activities, as the benchmark's
// P4 keeps them in storage. The screens draw what fills the phone's screen first and the rest
// in the next frames (src/components/growing.rs); a parent who waits, scrolls or searches finds
// every item, in order, and nothing twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { benchStorage, SIZE } from '../../bench/render.mjs';
import { launchProfile } from './browser.mjs';
import { MOMENT_MS } from './clock.mjs';
import { startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

/** A phone with the big school in its storage, on Vandaag. */
async function withBigSchool(fn) {
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await page.goto(server.url + '/');
    await page.evaluate((entries) => {
      for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
    }, benchStorage(new Date(MOMENT_MS)));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await fn(page);
    assert.deepEqual(watched.problems, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** Waits until `locator` matches `count` elements (the list has grown to its end). */
async function untilCount(locator, count, what) {
  const deadline = Date.now() + 20_000;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await locator.count();
    if (seen === count) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  assert.equal(seen, count, what);
}

test('a year of Maandinfo after a tap: all 180 items, each once, month by month', async () => {
  await withBigSchool(async (page) => {
    await page.getByRole('navigation').getByRole('link', { name: nl.nav_bulletins, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: nl.bulletins_title }).waitFor();
    const articles = page.getByRole('main').getByRole('article');
    // The first cards come with the screen itself.
    await articles.first().waitFor();
    await untilCount(articles, SIZE.months * SIZE.itemsPerMonth, 'every item of the year');

    // Twelve months, each with its fifteen items (no item under the wrong month, none twice).
    const months = page.getByRole('main').locator('section.bulletin-month');
    assert.equal(await months.count(), SIZE.months);
    for (let m = 0; m < SIZE.months; m++) {
      assert.equal(await months.nth(m).getByRole('article').count(), SIZE.itemsPerMonth, `month ${m + 1}`);
    }
    const ids = await articles.evaluateAll((list) => list.map((a) => a.getAttribute('aria-labelledby')));
    assert.equal(new Set(ids).size, ids.length, 'no item twice');

    // The last item can be reached and read, as a parent scrolling down would.
    await articles.last().scrollIntoViewIfNeeded();
    assert.ok(await articles.last().isVisible(), 'the last item is on screen after scrolling');
  });
});

test('fifty activities after a tap: all of them, soonest first', async () => {
  await withBigSchool(async (page) => {
    await page.getByRole('navigation').getByRole('link', { name: nl.nav_activities, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: nl.activities_title }).waitFor();
    const cards = page.getByRole('main').locator('.activity-card');
    await cards.first().waitFor();
    await untilCount(cards, SIZE.activities, 'every upcoming activity');
    const when = await cards.evaluateAll((list) =>
      list.map((card) => card.querySelector('a')?.getAttribute('href') ?? ''),
    );
    const expected = Array.from({ length: SIZE.activities }, (_, i) => `/activiteiten/bench-a-${String(i + 1).padStart(2, '0')}`);
    assert.deepEqual(when, expected, 'in the order of their dates, each once');
  });
});
