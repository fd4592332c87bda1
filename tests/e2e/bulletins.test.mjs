// Maandinfo as a parent uses it: unread marks that stay read, the filter on the groepen of the
// family's children, a calendar file with the right date, and screenshots light, dark and narrow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { shifted } from './clock.mjs';
import { ROOT, startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
const bulletins = JSON.parse(
  readFileSync(join(ROOT, 'core', 'data', 'demo', 'bulletins.json'), 'utf8'),
);
/** A demo date (YYYY-MM-DD) moved to the tests' week, as a UTC Date for its day. */
const shiftedDay = (date) => new Date(`${shifted(date)}T00:00:00Z`);

const items = bulletins.flatMap((b) => b.items);

/** The page object of Maandinfo: its locators, by role and name as a parent finds them. */
class Maandinfo {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }
  async open() {
    await this.page.goto(this.url + '/maandinfo');
    await this.heading().waitFor();
  }
  heading() {
    return this.page.getByRole('heading', { level: 1, name: nl.bulletins_title, exact: true });
  }
  item(item) {
    return this.page.getByRole('article', { name: item.title.nl, exact: true });
  }
  newMark(item) {
    return this.item(item).getByText(nl.bulletins_new, { exact: true });
  }
  articles() {
    return this.page.getByRole('main').getByRole('article');
  }
}

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

/** A new phone: its own profile, so that nothing read before carries over. */
async function withPhone(fn) {
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await fn(page, browser.context);
    assert.deepEqual(watched.problems, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

test('an unread item says "Nieuw" until it is marked read or opened, also after a reload', async () => {
  await withPhone(async (page) => {
    const screen = new Maandinfo(page, server.url);
    await screen.open();
    // Two items for the whole school, so that they are shown without any filter.
    const [first, second] = items.filter((i) => i.groepen.length === 0);
    await screen.newMark(first).waitFor();
    await screen.newMark(second).waitFor();

    await screen.item(first).getByRole('button', { name: nl.bulletins_mark_read }).click();
    assert.equal(await screen.newMark(first).count(), 0, 'marked read, "Nieuw" goes');

    // Opening an item through its link is reading it too.
    await screen.item(second).getByRole('link', { name: second.title.nl, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: second.title.nl, exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/maandinfo/${second.id}`, 'the deep link');
    await page.getByRole('link', { name: nl.bulletins_back }).click();
    await screen.heading().waitFor();

    await page.reload();
    await screen.heading().waitFor();
    await screen.item(first).waitFor();
    assert.equal(await screen.newMark(first).count(), 0, 'still read after a reload');
    assert.equal(await screen.newMark(second).count(), 0, 'the opened item is read');

    // "Alles gelezen" leaves no "Nieuw" anywhere.
    assert.ok(await page.getByText(nl.bulletins_new, { exact: true }).count() > 0);
    await page.getByRole('button', { name: nl.bulletins_all_read }).click();
    assert.equal(await page.getByText(nl.bulletins_new, { exact: true }).count(), 0);
    await page.reload();
    await screen.heading().waitFor();
    await screen.item(first).waitFor();
    assert.equal(await page.getByText(nl.bulletins_new, { exact: true }).count(), 0);
  });
});

test('with a child in groep 2 only its items show, and "Alles tonen" shows the rest', async () => {
  await withPhone(async (page) => {
    const screen = new Maandinfo(page, server.url);
    await screen.open();
    await page.evaluate(() =>
      localStorage.setItem(
        'driehoek.v1.children',
        JSON.stringify({ schema: 2, data: [{ id: 'kind-1', name: 'Sam', groep: 2 }] }),
      ),
    );
    await page.reload();
    await screen.heading().waitFor();
    const forGroep2 = items.filter((i) => i.groepen.length === 0 || i.groepen.includes(2));
    await screen.item(forGroep2[0]).waitFor();
    assert.equal(await screen.articles().count(), forGroep2.length, 'only the items for groep 2');
    const other = items.find((i) => i.groepen.length > 0 && !i.groepen.includes(2));
    assert.equal(await screen.item(other).count(), 0, `${other.id} is for other groepen`);

    await page.getByRole('button', { name: nl.bulletins_show_all, exact: true }).click();
    await screen.item(other).waitFor();
    assert.equal(await screen.articles().count(), items.length, 'every item');
    assert.ok(items.length > forGroep2.length);

    await page.getByRole('button', { name: nl.bulletins_show_mine, exact: true }).click();
    await screen.item(other).waitFor({ state: 'detached' });
    assert.equal(await screen.articles().count(), forGroep2.length);
  });
});

test('"Zet in agenda" downloads a calendar file on the date the item shows', async () => {
  await withPhone(async (page) => {
    const screen = new Maandinfo(page, server.url);
    await screen.open();
    const item = items.find((i) => i.groepen.length === 0 && i.when?.from_time);
    const card = screen.item(item);
    const date = shiftedDay(item.when.date);
    const time = item.when.from_time.slice(0, 5);
    // As the parent does: scroll to it (cards far down the list are laid out when near).
    await card.scrollIntoViewIfNeeded();
    // The browser lays it out in its next frame.
    await card.evaluate((el) => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const shown = await card.innerText();
    assert.ok(shown.includes(`${date.getUTCDate()} `), `the card shows the day: ${shown}`);
    assert.ok(shown.includes(time), `the card shows the time ${time}`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: nl.bulletins_calendar }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.ics$/);
    // The card itself says what happened, where the parent is looking.
    await card.getByText(nl.bulletins_calendar_done).waitFor();
    const ics = readFileSync(await download.path(), 'utf8');
    // Unfold (RFC 5545: a line break followed by a space or tab continues the line).
    const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    // The first DTSTART of the event (the time-zone definition before it has its own).
    const event = lines.slice(lines.indexOf('BEGIN:VEVENT'));
    const start = event.find((l) => l.startsWith('DTSTART'));
    const value = start.slice(start.lastIndexOf(':') + 1);
    const ymd = date.toISOString().slice(0, 10).replaceAll('-', '');
    assert.equal(value, `${ymd}T${time.replace(':', '')}00`, start);
    assert.ok(start.includes('TZID=Europe/Amsterdam'), 'in school time');
    const summary = event.find((l) => l.startsWith('SUMMARY:')).slice('SUMMARY:'.length);
    assert.equal(summary.replace(/\\([,;\\])/g, '$1'), item.title.nl, 'the item is the event');
  });
});

test('screenshots of Maandinfo and one item, light, dark, narrow and with large text', async () => {
  const dir = join(ROOT, 'out', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await withPhone(async (page) => {
    const screen = new Maandinfo(page, server.url);
    const item = items.find((i) => i.groepen.length > 0 && i.when);
    const shots = [
      ['lijst', '/maandinfo', nl.bulletins_title],
      ['bericht', `/maandinfo/${item.id}`, item.title.nl],
    ];
    for (const [width, scheme] of [
      [360, 'light'],
      [360, 'dark'],
      [320, 'light'],
    ]) {
      await page.setViewportSize({ width, height: 740 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path, title] of shots) {
        await page.goto(server.url + path);
        await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= width, `${path} fits ${width} px (scrollWidth ${scrollWidth})`);
        // Every button and link of the screen is a tap target of at least 44 × 44 px.
        for (const control of await page.getByRole('main').locator('a, button').all()) {
          const box = await control.boundingBox();
          if (!box) continue;
          const label = await control.innerText();
          assert.ok(box.height >= 44 && box.width >= 44, `${label}: ${box.width}x${box.height}`);
        }
        const suffix = width === 320 ? '320' : scheme;
        await page.screenshot({ path: join(dir, `maandinfo-${name}-${suffix}.png`) });
      }
    }
    // 200% text: nothing sticks out sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'light' });
    await screen.open();
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `200% text fits (scrollWidth ${scrollWidth})`);
    await page.screenshot({ path: join(dir, 'maandinfo-lijst-200.png') });
  });
});
