// Gesprekken, as parents book them: a family with a child in groep 2 and one in groep 7 books
// both talks back to back in one tap; a second family, offline, asks for a time that the first
// family took, is told it is gone once online, and takes the free time offered; the school's
// schedule has both families, one per slot; the calendar file has the talk at its time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { MOMENT_MS, shifted } from './clock.mjs';
import { ROOT, startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const SHOTS = join(ROOT, 'out', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const nl = texts('nl');
const ROUND = 'rapportgesprekken-winter';
const ROUND_TITLE = 'Rapportgesprekken december';

let server;

before(async () => {
  server = await startSyncServer();
});

after(async () => {
  await server?.stop();
});

/** A phone with the school's link and these children, past the welcome. */
async function phone(children, options = {}) {
  const browser = await launchProfile(options);
  const watched = watchPage(browser.context, server.url);
  const page = await browser.context.newPage();
  await page.goto(server.url + server.joinPath);
  await page.getByRole('button', { name: nl.welcome_start }).click();
  for (const [name, groep] of children) {
    await page.getByLabel(nl.child_name).fill(name);
    await page.getByLabel(nl.child_groep).selectOption(groep);
    await page.getByRole('button', { name: nl.child_add }).click();
    await page.getByText(nl.child_added.replace('{name}', name)).waitFor();
  }
  await page.getByRole('button', { name: nl.welcome_next }).click();
  await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
  await waitForServiceWorker(page);
  return {
    page,
    context: browser.context,
    async close() {
      const unexpected = watched.problems.filter(
        (p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(p),
      );
      await browser.close();
      assert.deepEqual(unexpected, [], 'no error in the page');
      assert.deepEqual(watched.foreign, [], 'no request to another origin');
    },
  };
}

async function syncNow(page) {
  await page.goto(server.url + '/instellingen');
  await page.getByRole('button', { name: nl.sync_now }).click();
  await page.getByText(nl.sync_all_sent).waitFor();
}

/** The round's screen, reached as a parent would: Activiteiten, then "Gesprekken plannen". */
async function openRound(page) {
  await page.goto(server.url + '/activiteiten');
  await page.getByRole('link', { name: nl.talks_link }).click();
  await page.getByRole('heading', { level: 1, name: nl.talks_title }).waitFor();
  await page.getByRole('link', { name: ROUND_TITLE }).click();
  await page.getByRole('heading', { level: 1, name: ROUND_TITLE }).waitFor();
}

/** One child's part of the round's screen. */
function child(page, name, groep) {
  return page.getByRole('region', {
    name: nl.talks_child.replace('{name}', name).replace('{groep}', groep),
  });
}

/** The school's schedule of the round, read with the admin token. */
async function schedule() {
  const response = await fetch(
    `${server.url}/api/v1/schools/${server.school}/talks/${ROUND}/schedule`,
    { headers: { authorization: `Bearer ${server.admin}` } },
  );
  assert.equal(response.status, 200);
  return response.json();
}

/** `text` as a regular expression that matches it literally. */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const tuesday = shifted('2026-12-08');
const tuesdayName = 'dinsdag 8 december';

test('a family books the talks of its two children back to back, and the school has both', async () => {
  const a = await phone([['Anna', '2'], ['Bram', '7']]);
  try {
    const page = a.page;
    await openRound(page);
    const box = page.getByRole('region', { name: nl.talks_siblings_title });
    const proposal = await box.innerText();
    assert.ok(proposal.includes(`Anna: ${tuesdayName}, 15:00–15:10`), proposal);
    assert.ok(proposal.includes(`Bram: ${tuesdayName}, 15:15–15:25`), proposal);
    assert.deepEqual(await axeViolations(page), [], 'the round passes axe');
    await box.getByRole('button', { name: nl.talks_siblings_take }).click();
    // The first send: what goes to school is shown first, and names the booking.
    const panel = page.getByRole('region', { name: nl.disclosure_first_title });
    assert.ok((await panel.innerText()).includes(nl.disclosure_sent_booking), 'the booking is named');
    await panel.getByRole('button', { name: nl.disclosure_first_yes }).click();
    // "Aangevraagd" until the school answers; the sync may already have run ("De school heeft het").
    await child(page, 'Anna', '2')
      .locator('.talk__state')
      .filter({ hasText: new RegExp(`${escape(nl.talks_state_asked)}|${escape(nl.talks_state_sent)}`) })
      .waitFor();

    await syncNow(page);
    await openRound(page);
    for (const [name, groep, time] of [['Anna', '2', '15:00–15:10'], ['Bram', '7', '15:15–15:25']]) {
      const part = child(page, name, groep);
      await part.getByText(nl.talks_state_sent).waitFor();
      const text = await part.innerText();
      assert.ok(text.includes(nl.talks_booked.replace('{when}', `${tuesdayName}, ${time}`)), text);
      assert.ok(text.includes(`Lokaal ${groep}`), text);
    }
    await page.screenshot({ path: join(SHOTS, 'gesprekken-geboekt.png'), fullPage: true });

    // "Zet in agenda": a calendar file with the talk at its time in Amsterdam, and a reminder.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      child(page, 'Bram', '7').getByRole('button', { name: nl.talks_calendar }).click(),
    ]);
    const ics = readFileSync(await download.path(), 'utf8');
    const day = tuesday.replaceAll('-', '');
    assert.match(ics, new RegExp(`DTSTART;TZID=Europe/Amsterdam:${day}T151500`), ics);
    assert.match(ics, new RegExp(`DTEND;TZID=Europe/Amsterdam:${day}T152500`), ics);
    assert.match(ics, /SUMMARY:Rapportgesprek over Bram/, ics);
    assert.match(ics, /LOCATION:Lokaal 7/, ics);
    assert.match(ics, /TRIGGER:-PT1H/, ics);

    // The school: one family, two talks, back to back, in the right groepen.
    const rows = (await schedule()).rows.filter((r) => r.talk);
    assert.deepEqual(
      rows.map((r) => [r.slot.id, r.talk.child.name, r.talk.child.groep]),
      [
        [`g2-${day}-1500`, 'Anna', 2],
        [`g7-${day}-1515`, 'Bram', 7],
      ],
    );
    assert.equal(rows[0].talk.family_id, rows[1].talk.family_id, 'one family');

    // Vandaag lists the coming week's talks: not yet (the talks are two weeks ahead) ...
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    assert.equal(await page.getByRole('heading', { name: nl.talks_upcoming_title }).count(), 0);
    // ... and on the Monday before them, "Morgen 15:15: Rapportgesprek over Bram, Lokaal 7".
    await a.context.clock.setSystemTime(MOMENT_MS + 14 * 86_400_000);
    await page.goto(server.url + '/');
    const week = page.getByRole('region', { name: nl.talks_upcoming_title });
    await week.waitFor();
    const line = await week.innerText();
    assert.ok(line.includes('Morgen 15:15: Rapportgesprek over Bram, Lokaal 7'), line);
    assert.ok(line.includes('Morgen 15:00: Rapportgesprek over Anna, Lokaal 2'), line);
    // The two talks tomorrow count on Activiteiten in the navigation, until Gesprekken is seen.
    const nav = page.getByRole('navigation', { name: nl.nav_label });
    const tab = nav.getByRole('link', { name: new RegExp(`^${nl.nav_activities}`) });
    const named = (text) => text.replace(/\s+/g, ' ').trim();
    assert.equal(named(await tab.innerText()), named(`${nl.nav_activities} 2 ${nl.nav_news}`));
    await week.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: ROUND_TITLE }).waitFor();
    await nav.getByRole('link', { name: nl.nav_activities, exact: true }).waitFor();
  } finally {
    await a.close();
  }
});

test('offline, a second family asks for a time that is gone; online it is told so and takes a free one', async () => {
  const b = await phone([['Sem', '7']]);
  try {
    const page = b.page;
    await b.context.setOffline(true);
    await openRound(page);
    const part = child(page, 'Sem', '7');
    await part.getByText(nl.talks_offline_hint).waitFor();
    // Bram's time first, then the one after it (also taken, see below: 15:30 is free).
    await part.getByRole('button', { name: /^15:15/ }).first().click();
    await part.getByRole('button', { name: /^15:30/ }).first().click();
    const firstChoice = await part.getByRole('button', { name: /^15:15/ }).first().innerText();
    assert.ok(firstChoice.includes(nl.talks_choice_n.replace('{n}', '1')), firstChoice);
    await part.getByRole('button', { name: nl.talks_request_n.replace('{n}', '2') }).click();
    await page
      .getByRole('region', { name: nl.disclosure_first_title })
      .getByRole('button', { name: nl.disclosure_first_yes })
      .click();
    await part.getByText(nl.talks_state_asked).waitFor();

    // Meanwhile another family takes 15:30 as well: both of Sem's choices are gone.
    const c = await phone([['Lot', '7']]);
    try {
      await openRound(c.page);
      const lot = child(c.page, 'Lot', '7');
      await lot.getByRole('button', { name: /^15:30/ }).first().click();
      await lot.getByRole('button', { name: nl.talks_request }).click();
      await c.page
        .getByRole('region', { name: nl.disclosure_first_title })
        .getByRole('button', { name: nl.disclosure_first_yes })
        .click();
      await syncNow(c.page);
    } finally {
      await c.close();
    }

    await b.context.setOffline(false);
    await syncNow(page);
    await openRound(page);
    const full = part.getByRole('alert').filter({ hasText: nl.talks_full });
    await full.waitFor();
    await page.screenshot({ path: join(SHOTS, 'gesprekken-vol.png'), fullPage: true });
    // The free times nearest to the first choice (15:15), nearest first: 15:00 before 15:45.
    const offers = await full.getByRole('button').allInnerTexts();
    assert.ok(offers.length >= 1 && offers.length <= 3, offers.join(' | '));
    assert.ok(offers[0].endsWith('15:00–15:10'), offers.join(' | '));
    const take = offers[0];
    await full.getByRole('button', { name: take }).click();
    await syncNow(page);
    await openRound(page);
    await part.getByText(nl.talks_state_sent).waitFor();
    const booked = await part.innerText();
    assert.ok(booked.includes(take.replace(/^Neem /, 'Uw gesprek: ')), `${take}\n${booked}`);

    // The school's schedule: every slot holds at most one family; the four talks are there.
    const rows = (await schedule()).rows.filter((r) => r.talk);
    const names = rows.map((r) => r.talk.child.name).sort();
    assert.deepEqual(names, ['Anna', 'Bram', 'Lot', 'Sem']);
    assert.equal(new Set(rows.map((r) => r.slot.id)).size, rows.length, 'one family per slot');
  } finally {
    await b.close();
  }
});
