// "Ziek of afwezig melden", as a parent and the school meet it: a child reported ill while the
// phone is offline reaches the school exactly once when the network returns and shows up in
// Beheer's "Afwezig vandaag"; withdrawn, it leaves that list; after the school's time limit for
// today, the app shows the number to call instead of the form for today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { localAt } from './clock.mjs';
import { ROOT, startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');
const SHOTS = join(ROOT, 'out', 'screenshots');

let server;

before(async () => {
  server = await startSyncServer();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await server?.stop();
});

/** The school sets until when reports for today are taken, and its number for urgent cases. */
async function schoolSettings(until, phone) {
  const { content, etag } = await server.published();
  content.school.absence_until = until;
  content.school.absence_phone = phone;
  await server.publish(content, etag);
}

/** Today's absences as the school's server lists them (with the admin token). */
async function schoolList() {
  const response = await fetch(`${server.url}/api/v1/schools/${server.school}/absences`, {
    headers: { authorization: `Bearer ${server.admin}` },
  });
  assert.equal(response.status, 200);
  const report = await response.json();
  return report.groepen.flatMap((g) => g.absences.map((a) => ({ ...a, groep: g.groep })));
}

/** "Melden". The first time anything goes to the school, the app first lists what the school
 * receives (the absence report among it), and the parent agrees. */
async function send(page) {
  await page.getByRole('button', { name: nl.absence_send }).click();
  const agree = page.getByRole('button', { name: nl.disclosure_first_yes });
  if (await agree.waitFor({ timeout: 1500 }).then(() => true, () => false)) {
    const panel = page.getByRole('region', { name: nl.disclosure_first_title });
    assert.ok((await panel.innerText()).includes(nl.disclosure_sent_absence), await panel.innerText());
    await agree.click();
  }
}

/** A phone opened with the school's link, with Noor in groep 5, past the welcome. */
async function withConnectedPhone(fn) {
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await page.goto(server.url + server.joinPath);
    await page.getByRole('button', { name: nl.welcome_start }).click();
    await page.getByLabel(nl.child_name).fill('Noor');
    await page.getByLabel(nl.child_groep).selectOption('5');
    await page.getByRole('button', { name: nl.child_add }).click();
    await page.getByText(nl.child_added.replace('{name}', 'Noor')).waitFor();
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(page);
    // The school's settings as published now have reached the phone.
    await page.goto(server.url + '/instellingen');
    await page.getByRole('status').filter({ hasText: /Laatst gesynchroniseerd/ }).waitFor();
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await fn(page, browser.context);
    const unexpected = watched.problems.filter(
      (p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|status of 422/.test(p),
    );
    assert.deepEqual(unexpected, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** The phone's own line about Noor's report, with its state. */
function reportState(page) {
  return page.getByRole('status').filter({ hasText: /Bewaard|Verstuurd|Mislukt/ });
}

/** "✓ Verstuurd" (and not "Bewaard, wordt verstuurd"). */
const SENT = new RegExp(`✓ ${nl.absence_state_sent}`);

test('after the school\'s time for today, the app gives the number to call and takes later days', async () => {
  // The demo school takes reports for today until 08:15; the tests play at 10:00.
  await schoolSettings('08:15:00', '0123-456780');
  await withConnectedPhone(async (page) => {
    const call = nl.absence_call.replace('{phone}', '0123-456780');
    // Vandaag says it in one line, which leads to the form for later days and the number.
    await page.getByRole('link', { name: nl.absence_later_link }).click();
    await page.getByRole('heading', { level: 1, name: nl.absence_title }).waitFor();
    await page.getByRole('link', { name: call }).waitFor();
    assert.equal(
      await page.getByRole('link', { name: call }).getAttribute('href'),
      'tel:0123456780',
    );
    // The form starts at tomorrow, and today cannot be chosen.
    const tomorrow = localAt(86_400_000).slice(0, 10);
    assert.equal(await page.getByLabel(nl.absence_from).inputValue(), tomorrow);
    assert.equal(await page.getByLabel(nl.absence_from).getAttribute('min'), tomorrow);
    // Typed anyway, today is refused with the number, and nothing goes to school.
    await page.getByLabel(nl.absence_from).fill(localAt().slice(0, 10));
    await send(page);
    await page.getByRole('alert').filter({ hasText: call }).waitFor();
    // Tomorrow is taken.
    await page.getByLabel(nl.absence_from).fill(tomorrow);
    await page.getByLabel(nl.absence_to).fill(tomorrow);
    await send(page);
    await reportState(page).filter({ hasText: SENT }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: join(SHOTS, 'afwezig-na-de-tijd.png'), fullPage: true });
  });
});

test('a child reported ill offline reaches Beheer once, and leaves its list when withdrawn', async () => {
  await schoolSettings('12:30:00', '0123-456780');
  const note = `Koorts sinds vannacht ${Date.now() % 100000}`;
  await withConnectedPhone(async (page, context) => {
    await context.setOffline(true);
    await page.getByRole('link', { name: nl.absence_button_for.replace('{name}', 'Noor') }).click();
    await page.getByRole('heading', { level: 1, name: nl.absence_title }).waitFor();
    assert.equal(await page.getByLabel(nl.absence_from).inputValue(), localAt().slice(0, 10));
    await page.getByRole('radio', { name: nl.absence_kind_ziek }).check();
    await page.getByLabel(nl.absence_note).fill(note);
    await send(page);
    await reportState(page).filter({ hasText: nl.absence_state_saved }).waitFor();
    assert.equal((await schoolList()).length, 0, 'not sent while offline');

    await context.setOffline(false);
    await reportState(page).filter({ hasText: SENT }).waitFor();
    const list = (await schoolList()).filter((a) => a.note === note);
    assert.equal(list.length, 1, 'the school holds exactly one report');
    assert.equal(list[0].child.name, 'Noor');
    assert.equal(list[0].groep, 5);
    assert.equal(list[0].kind, 'ziek');

    // Syncing again sends nothing twice.
    await page.goto(server.url + '/instellingen');
    await page.getByRole('button', { name: nl.sync_now }).click();
    await page.getByText(nl.sync_all_sent).waitFor();
    assert.equal((await schoolList()).filter((a) => a.note === note).length, 1);

    // The school's office sees Noor in groep 5, with the time it was sent.
    const office = await context.newPage();
    await office.goto(`${server.url}/beheer?school=${server.school}`);
    await office.getByLabel('Beheercode').fill(server.admin);
    await office.getByRole('button', { name: 'Inloggen' }).click();
    await office.getByRole('link', { name: 'Afwezig vandaag' }).click();
    const groep = office.getByRole('heading', { name: 'Groep 5 (1)' });
    await groep.waitFor();
    const item = office.getByRole('listitem').filter({ hasText: note });
    assert.equal(await item.count(), 1, 'listed once');
    const text = await item.innerText();
    assert.match(text, /Noor/);
    assert.match(text, /ziek/);
    assert.match(text, /gemeld om \d\d:\d\d/);
    assert.deepEqual(await axeViolations(office), []);
    await office.screenshot({ path: join(SHOTS, 'beheer-afwezig-vandaag.png'), fullPage: true });

    // Withdrawn on the phone, it leaves the school's list.
    await page.goto(server.url + '/');
    await page.getByRole('button', { name: nl.absence_withdraw_for.replace('{name}', 'Noor') }).click();
    await page.getByText(nl.absence_withdrawn, { exact: false }).first().waitFor();
    await reportState(page).filter({ hasText: SENT }).waitFor();
    assert.equal((await schoolList()).filter((a) => a.note === note).length, 0);
    await office.getByRole('button', { name: 'Vernieuwen' }).click();
    await office.getByText(/is niemand ziek of afwezig gemeld/).waitFor();
    assert.equal(await office.getByRole('listitem').filter({ hasText: note }).count(), 0);
  });
});
