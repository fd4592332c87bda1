// What is coming, as a parent reads it: on Vandaag the lines of this calendar week and of the
// next under their own name (on a Friday, Monday is "volgende week"), and in Maandinfo the
// current month first, each item under the month of its date, and an agenda by week with the
// next day off on top.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { MOMENT_MS } from './clock.mjs';
import { ROOT, startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
const DAY = 86_400_000;
const items = JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', 'bulletins.json'), 'utf8'))
  .flatMap((b) => b.items);
const item = (id) => items.find((i) => i.id === id);

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/** A phone with a child in groep 2 and one in groep 7, on the demo school, `days` after the
 * tests' Monday (the demo's dates move with the calendar by whole weeks). */
async function withFamily(days, fn) {
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    await browser.context.clock.setSystemTime(MOMENT_MS + days * DAY);
    const page = await browser.context.newPage();
    await page.goto(server.url + '/instellingen');
    await page.evaluate(() => {
      localStorage.setItem('driehoek.v1.settings', '{"schema":1,"data":{"welcomed":true,"parents":["Sam"]}}');
      localStorage.setItem(
        'driehoek.v1.children',
        JSON.stringify({ schema: 2, data: [
          { id: 'kind-1', name: 'Anna', groep: 2 },
          { id: 'kind-2', name: 'Bram', groep: 7 },
        ] }),
      );
    });
    await fn(page);
    assert.deepEqual(watched.problems, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** The titles listed under a part of the week on Vandaag ("Deze week", "Volgende week"). */
async function linesUnder(page, part) {
  const heading = page.locator('.week').getByRole('heading', { level: 3, name: part, exact: true });
  if ((await heading.count()) === 0) return null;
  return heading.locator('xpath=following-sibling::ul[1]').locator('.week__title').allInnerTexts();
}

test('on a Friday, next Monday is listed under "Volgende week", not "Deze week"', async () => {
  // Friday 27 November: the day off of groep 1-4 is today; the studiedag is next Monday.
  await withFamily(4, async (page) => {
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 2, name: nl.today_whats_on }).waitFor();
    const thisWeek = await linesUnder(page, nl.today_this_week);
    const nextWeek = await linesUnder(page, nl.today_next_week);
    assert.ok(thisWeek?.includes(item('mi-2026-11-08').title.nl), `this week: ${thisWeek}`);
    assert.ok(nextWeek?.includes(item('mi-2026-11-09').title.nl), `next week: ${nextWeek}`);
    assert.ok(!thisWeek.includes(item('mi-2026-11-09').title.nl), 'Monday is not "deze week"');
  });
});

test('Maandinfo opens on the current month and files an item under the month of its date', async () => {
  // Monday 30 November: the studiedag that the November maandinfo announces falls on 7 December.
  await withFamily(7, async (page) => {
    await page.goto(server.url + '/maandinfo');
    await page.getByRole('heading', { level: 1, name: nl.bulletins_title, exact: true }).waitFor();
    const main = page.getByRole('main');
    const months = main.locator('.bulletin-month');
    await months.first().waitFor();
    const firstMonth = await months.first().getByRole('heading', { level: 2 }).innerText();
    assert.match(firstMonth.toLowerCase(), /^november 2026$/, 'the current month first');
    // Scroll down so that the following months are drawn.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const studiedag = item('mi-2026-11-09');
    const december = main.getByRole('region', { name: /^december 2026$/i });
    await december.getByRole('article', { name: studiedag.title.nl, exact: true }).waitFor();
    const november = main.getByRole('region', { name: /^november 2026$/i });
    assert.equal(
      await november.getByRole('article', { name: studiedag.title.nl, exact: true }).count(),
      0,
      'not under the month of the bulletin that announced it',
    );
  });
});

test('the agenda lists what is on by week, with the next day off for the children on top', async () => {
  await withFamily(0, async (page) => {
    await page.goto(server.url + '/maandinfo');
    await page.getByRole('heading', { level: 1, name: nl.bulletins_title, exact: true }).waitFor();
    await page.getByRole('button', { name: nl.bulletins_agenda, exact: true }).click();
    assert.equal(
      await page.getByRole('button', { name: nl.bulletins_agenda, exact: true }).getAttribute('aria-pressed'),
      'true',
    );
    // Anna (groep 2) is free on Friday: the day off of groep 1-4 comes before the studiedag.
    const dayOff = page.getByText(nl.bulletins_next_day_off).locator('xpath=..');
    await dayOff.waitFor();
    assert.ok((await dayOff.innerText()).includes(item('mi-2026-11-08').title.nl), await dayOff.innerText());

    const weeks = page.getByRole('main').locator('.agenda-week');
    const thisWeek = weeks.filter({ has: page.getByRole('heading', { name: nl.today_this_week, exact: true }) });
    const nextWeek = weeks.filter({ has: page.getByRole('heading', { name: nl.today_next_week, exact: true }) });
    assert.ok((await thisWeek.innerText()).includes(item('mi-2026-11-07').title.nl), 'Thursday, groep 1-2');
    assert.ok((await nextWeek.innerText()).includes(item('mi-2026-11-09').title.nl), 'the studiedag next Monday');
    // Dated news is on the agenda; an outing of groep 5-6 is not for this family.
    assert.ok((await page.getByRole('main').innerText()).includes(item('mi-2026-12-02').title.nl));
    assert.ok(!(await page.getByRole('main').innerText()).includes(item('mi-2026-11-06').title.nl));
    // In date order: the weeks' headings go from this week onwards.
    const headings = await weeks.locator('h2').allInnerTexts();
    assert.deepEqual(headings.slice(0, 2), [nl.today_this_week, nl.today_next_week]);
    assert.equal(headings[2], nl.bulletins_week_of.replace('{date}', '7 december'));
  });
});
