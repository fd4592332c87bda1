// Activiteiten as a parent uses them: answer "ja" for two people with a note while the phone is
// offline, find it still there after a reload; an activity past its deadline cannot be changed;
// screenshots light, dark and narrow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { localAt, shifted } from './clock.mjs';
import { ROOT, startServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');
const activities = JSON.parse(
  readFileSync(join(ROOT, 'core', 'data', 'demo', 'activities.json'), 'utf8'),
);
/** The demo's activities as the app shows them this week, with their deadlines. */
const shown = activities.map((a) => ({
  ...a,
  start: shifted(a.start),
  deadline: shifted(a.rsvp_deadline ?? a.start),
}));

/** Page object of one activity. */
class ActivityScreen {
  constructor(page, activity) {
    this.page = page;
    this.activity = activity;
  }
  heading() {
    return this.page.getByRole('heading', { level: 1, name: this.activity.title.nl, exact: true });
  }
  answer(key) {
    return this.page.getByRole('radio', { name: nl[key], exact: true });
  }
  people() {
    return this.page.getByLabel(nl.activities_people);
  }
  note() {
    return this.page.getByLabel(nl.activities_note);
  }
  save() {
    return this.page.getByRole('button', { name: nl.activities_save, exact: true });
  }
  state() {
    return this.page
      .getByRole('region', { name: nl.activities_form_title, exact: true })
      .getByRole('status');
  }
}

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

const violations = axeViolations;

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

test('"Ja" for 2 people with a note, given offline, is still there after a reload', async () => {
  // Open for at least another hour, and for two or more people.
  const activity = shown.find((a) => a.deadline > localAt(3_600_000) && a.max_per_family >= 2);
  await withPhone(async (page, context) => {
    await page.goto(server.url + '/activiteiten');
    await page.getByRole('heading', { level: 1, name: nl.activities_title }).waitFor();
    await waitForServiceWorker(page);
    await context.setOffline(true);

    await page.getByRole('link', { name: activity.title.nl, exact: true }).click();
    const screen = new ActivityScreen(page, activity);
    await screen.heading().waitFor();
    assert.ok((await screen.state().innerText()).includes(nl.activities_no_answer));

    // Saving without a choice explains what is missing.
    await screen.save().click();
    await page.getByRole('alert').filter({ hasText: nl.activities_choose }).waitFor();

    const note = 'We nemen een taart mee.';
    await screen.answer('activities_answer_yes').check();
    await screen.people().selectOption('2');
    await screen.note().fill(note);
    await screen.save().click();
    await screen.state().filter({ hasText: nl.activities_state_saved }).waitFor();
    const said = nl.activities_summary_yes.replace('{people}', '2');
    assert.ok((await screen.state().innerText()).includes(said), 'the answer in words');

    await page.reload();
    await screen.heading().waitFor();
    assert.equal(await page.evaluate(() => navigator.onLine), false, 'still offline');
    await screen.state().filter({ hasText: nl.activities_state_saved }).waitFor();
    assert.ok((await screen.state().innerText()).includes(said));
    await screen.state().evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'activiteit-bewaard-light.png') });
    assert.equal(await screen.answer('activities_answer_yes').isChecked(), true);
    assert.equal(await screen.people().inputValue(), '2');
    assert.equal(await screen.note().inputValue(), note);
    // "Ja" may go in the calendar.
    await page.getByRole('button', { name: nl.activities_calendar }).waitFor();

    // The list shows the answer too.
    await page.getByRole('link', { name: nl.activities_back }).click();
    const card = page.getByRole('listitem').filter({
      has: page.getByRole('link', { name: activity.title.nl, exact: true }),
    });
    assert.ok((await card.innerText()).includes(nl.activities_state_saved));
  });
});

test('an activity whose deadline has passed shows the answer and cannot be changed', async () => {
  const now = localAt();
  const activity = shown.find((a) => a.deadline < now && a.start > now);
  assert.ok(activity, 'the demo has an upcoming activity with a passed deadline');
  await withPhone(async (page) => {
    await page.goto(server.url + `/activiteiten/${activity.id}`);
    const screen = new ActivityScreen(page, activity);
    await screen.heading().waitFor();
    await page.getByText(nl.activities_closed, { exact: true }).waitFor();
    // A closed activity offers no answer at all, or only answers that cannot be chosen.
    const choosable = [];
    for (const radio of await page.getByRole('radio').all()) {
      if (await radio.isEnabled()) choosable.push(await radio.getAttribute('value'));
    }
    assert.deepEqual(choosable, [], 'no answer can be chosen');
    const yes = screen.answer('activities_answer_yes');
    assert.ok((await yes.count()) === 0 || !(await yes.isEnabled()), '"Ja" cannot be given');
    assert.equal(await screen.save().count(), 0, 'nothing to save');
    mkdirSync(join(ROOT, 'out', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'activiteit-gesloten-light.png') });
  });
});

test('past activities are folded away under "Eerdere activiteiten"', async () => {
  const now = localAt();
  const past = shown.filter((a) => shifted(a.end) < now);
  await withPhone(async (page) => {
    await page.goto(server.url + '/activiteiten');
    await page.getByRole('heading', { level: 1, name: nl.activities_title }).waitFor();
    const upcoming = shown.filter((a) => shifted(a.end) >= now).sort((a, b) => (a.start < b.start ? -1 : 1));
    // The text, not the rendering: cards far down the list are laid out only when near.
    const titles = (await page.locator('main h3:not(details h3)').allTextContents()).map((t) => t.trim());
    assert.deepEqual(titles, upcoming.map((a) => a.title.nl), 'upcoming, soonest first');
    if (past.length > 0) {
      const link = page.getByRole('link', { name: past[0].title.nl, exact: true });
      assert.equal(await link.isVisible(), false, 'folded away');
      await page.getByText(nl.activities_past, { exact: true }).click();
      await link.first().waitFor();
    }
  });
});

test('screenshots of Activiteiten and one activity, light, dark and narrow', async () => {
  const dir = join(ROOT, 'out', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const now = localAt(3_600_000);
  const activity =
    shown.find((a) => a.deadline > now && a.helpers_wanted && a.capacity) ??
    shown.find((a) => a.deadline > now);
  await withPhone(async (page) => {
    const shots = [
      ['lijst', '/activiteiten', nl.activities_title],
      ['detail', `/activiteiten/${activity.id}`, activity.title.nl],
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
        if (name === 'detail') {
          // The whole form shows with "Ja": people, "Ik help mee" and the note.
          await page.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
          assert.deepEqual(await violations(page), [], `the answer form, ${scheme}`);
        }
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= width, `${path} fits ${width} px (scrollWidth ${scrollWidth})`);
        for (const control of await page.getByRole('main').locator('a, button, select, textarea, label:has(input)').all()) {
          const box = await control.boundingBox();
          if (!box || box.width === 0) continue;
          const label = await control.innerText().catch(() => '');
          assert.ok(box.height >= 44, `${label}: ${box.width}x${box.height}`);
        }
        const suffix = width === 320 ? '320' : scheme;
        // Choosing "Ja" scrolled the form into view; the screenshot starts at the top.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(dir, `activiteit-${name}-${suffix}.png`) });
        if (name === 'detail') {
          // The answer form, further down.
          await page.getByRole('button', { name: nl.activities_save }).scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(dir, `activiteit-formulier-${suffix}.png`) });
        }
      }
    }
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(server.url + `/activiteiten/${activity.id}`);
    await page.getByRole('heading', { level: 1, name: activity.title.nl, exact: true }).waitFor();
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `200% text fits (scrollWidth ${scrollWidth})`);
    await page.screenshot({ path: join(dir, 'activiteit-detail-200.png') });
  });
});
