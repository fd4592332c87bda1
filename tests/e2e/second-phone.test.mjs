// A second phone for the same family: two browser profiles are the two parents' phones. Phone A
// shows the link (and its QR code) in Instellingen; phone B opens it, confirms, and gets the
// family's children, names and answers; a change on either phone appears on the other after a
// sync, marked as changed there, and the school sees one family with both parents' names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { localAt } from './clock.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const SHOTS = join(ROOT, 'out', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const nl = texts('nl');

let server;

before(async () => {
  server = await startSyncServer();
});

after(async () => {
  await server?.stop();
});

/** An activity of the demo school still open for answers a day after the moment. */
async function openActivity() {
  const response = await fetch(`${server.url}/api/v1/schools/${server.school}/content`, {
    headers: { authorization: `Bearer ${server.code}` },
  });
  const content = await response.json();
  const now = localAt(86_400_000);
  const activity = content.activities.find((a) => (a.rsvp_deadline ?? a.start) > now);
  assert.ok(activity, 'the demo school has an open activity');
  return { activity, school: content.school.name };
}

/** A phone (a browser profile of its own), watched for page errors and foreign requests. */
async function phone() {
  const browser = await launchProfile();
  const watched = watchPage(browser.context, server.url);
  const page = await browser.context.newPage();
  return {
    page,
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

function rsvpState(page) {
  return page
    .getByRole('region', { name: nl.activities_form_title, exact: true })
    .getByRole('status');
}

async function syncNow(page) {
  await page.goto(server.url + '/instellingen');
  await page.getByRole('button', { name: nl.sync_now }).click();
  await page.getByText(nl.sync_all_sent).waitFor();
  await page.getByRole('status').filter({ hasText: /Laatst gesynchroniseerd/ }).waitFor();
}

async function answer(page, activity, label) {
  await page.goto(`${server.url}/activiteiten/${activity.id}`);
  await page.getByRole('heading', { level: 1, name: activity.title.nl, exact: true }).waitFor();
  await page.getByRole('radio', { name: label, exact: true }).check();
  await page.getByRole('button', { name: nl.activities_save, exact: true }).click();
  // The first time anything goes to the school, the app first says what the school receives.
  const agree = page.getByRole('button', { name: nl.disclosure_first_yes });
  if (await agree.waitFor({ timeout: 1500 }).then(() => true, () => false)) {
    await agree.click();
  }
}

/** The answer on the activity's page, once it shows `summary` and `state`. */
async function shows(page, activity, summary, state) {
  await page.goto(`${server.url}/activiteiten/${activity.id}`);
  const status = rsvpState(page).filter({ hasText: summary }).filter({ hasText: state });
  await status.waitFor();
  return status.innerText();
}

test('two phones of one family: linked, each sees the other one\'s change, one family at school', async () => {
  const { activity, school } = await openActivity();
  const a = await phone();
  const b = await phone();
  try {
    // Phone A: connected with the school's letter, with a parent's name and a child.
    await a.page.goto(server.url + server.joinPath);
    await a.page.getByRole('button', { name: nl.welcome_start }).click();
    await a.page.getByRole('button', { name: nl.welcome_next }).click();
    await a.page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(a.page);
    await a.page.goto(server.url + '/instellingen');
    await a.page.getByLabel(nl.settings_parents_label).fill('Sanne');
    await a.page
      .getByRole('region', { name: nl.settings_parents })
      .getByRole('button', { name: nl.settings_save })
      .click();
    await a.page.getByLabel(nl.child_name).fill('Noor');
    await a.page.getByLabel(nl.child_groep).first().selectOption('7');
    await a.page.getByRole('button', { name: nl.child_add }).click();
    await a.page.getByRole('list').getByText('Noor').first().waitFor().catch(() => {});

    // Phone A answers "Ja"; the school has it.
    await answer(a.page, activity, nl.activities_answer_yes);
    await rsvpState(a.page).filter({ hasText: nl.activities_state_sent }).waitFor();

    // Phone A shows the link and its QR code, with the warning.
    await a.page.goto(server.url + '/instellingen');
    await syncNow(a.page);
    await a.page.getByRole('button', { name: nl.second_phone_show }).click();
    await a.page.getByText(nl.second_phone_warning).waitFor();
    await a.page.getByRole('img', { name: nl.second_phone_qr_label }).waitFor();
    await a.page.getByRole('button', { name: nl.second_phone_copy }).waitFor();
    const link = (await a.page.getByLabel(nl.second_phone_link_label, { exact: true }).inputValue()).trim();
    const address = new URL(link);
    assert.equal(address.origin, server.url, link);
    assert.equal(address.search, '', 'nothing of the family in the request line');
    assert.match(address.hash, /^#koppel&/, link);
    assert.deepEqual(await axeViolations(a.page), [], 'the link and its QR code pass axe');

    // Phone B opens the link: it asks first, naming the school and the parent.
    await b.page.goto(link);
    const question = b.page.getByRole('alertdialog');
    await question
      .getByRole('heading', { name: nl.join_question.replace('{names}', 'Sanne') })
      .waitFor();
    assert.ok((await question.innerText()).includes(school), 'the school is named');
    assert.equal(new URL(b.page.url()).hash, '', 'the secret left the address bar');
    assert.deepEqual(await axeViolations(b.page), [], 'the question passes axe');
    await question.getByRole('button', { name: nl.join_yes }).click();
    await b.page.getByRole('status').filter({ hasText: nl.join_done }).waitFor();
    await waitForServiceWorker(b.page);

    // After its sync, phone B has the family's answer, child and name.
    const onB = await shows(b.page, activity, nl.activities_summary_yes_one, nl.activities_state_other_phone);
    assert.ok(!onB.includes(nl.activities_state_sent), onB);
    await b.page.goto(server.url + '/instellingen');
    assert.equal(await b.page.getByLabel(nl.child_name).first().inputValue(), 'Noor');
    assert.equal(await b.page.getByLabel(nl.settings_parents_label).inputValue(), 'Sanne');

    // Phone B: the second parent adds a name and changes the answer to "Nee".
    await b.page.getByLabel(nl.settings_parents_label).fill('Sanne, Bram');
    await b.page
      .getByRole('region', { name: nl.settings_parents })
      .getByRole('button', { name: nl.settings_save })
      .click();
    await answer(b.page, activity, nl.activities_answer_no);
    await rsvpState(b.page).filter({ hasText: nl.activities_summary_no }).filter({ hasText: nl.activities_state_sent }).waitFor();
    await syncNow(b.page);

    // Phone A, after its sync: "Nee", marked as changed on the other phone, never "Verstuurd"
    // with "Ja".
    await syncNow(a.page);
    const onA = await shows(a.page, activity, nl.activities_summary_no, nl.activities_state_other_phone);
    assert.ok(!onA.includes(nl.activities_state_sent), onA);
    assert.ok(!onA.includes(nl.activities_summary_yes_one), onA);
    await a.page.goto(server.url + '/instellingen');
    await a.page.getByLabel(nl.settings_parents_label).waitFor();
    assert.equal(await a.page.getByLabel(nl.settings_parents_label).inputValue(), 'Sanne, Bram');

    // The school's Beheer: one family, with both parents' names, and its answer "Nee".
    const office = await phone();
    try {
      const page = office.page;
      await page.goto(`${server.url}/beheer?school=${server.school}`);
      await page.getByLabel('Beheercode').fill(server.admin);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByRole('link', { name: 'Aanmeldingen', exact: true }).click();
      const card = page.locator('.beheer-rsvp').filter({ hasText: activity.title.nl });
      await card.waitFor();
      const text = await card.innerText();
      assert.match(text, /Ja: 0 · Misschien: 0 · Nee: 1/, text);
      assert.equal(text.split('Sanne, Bram').length - 1, 1, `one family:\n${text}`);
      assert.ok(!/Sanne\b(?!, Bram)/.test(text), `no second family of Sanne alone:\n${text}`);
      // Whose answer it is: the child and the groep.
      assert.ok(text.includes('Noor (groep 7)'), `the child and groep:\n${text}`);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'beheer-gekoppeld-gezin.png'), fullPage: true });
      // The CSV for the school has the same row: one family, both names, the child, groep 7.
      const csv = await fetch(`${server.url}/api/v1/schools/${server.school}/rsvps.csv`, {
        headers: { authorization: `Bearer ${server.admin}` },
      }).then((r) => r.text());
      const rows = csv.split(/\r?\n/).filter((line) => line.includes('Sanne'));
      assert.equal(rows.length, 1, csv);
      for (const cell of ['"Sanne, Bram"', '"Noor"', '"7"']) {
        assert.ok(rows[0].includes(cell), `${cell} in ${rows[0]}`);
      }
    } finally {
      await office.close();
    }
  } finally {
    await a.close();
    await b.close();
  }
});

test('a family link that is not whole asks nothing and changes nothing', async () => {
  const b = await phone();
  try {
    await b.page.goto(`${server.url}/#koppel&school=${server.school}&code=${server.code}&gezin=gezin-1`);
    await b.page.getByRole('heading', { level: 1, name: nl.welcome_title }).waitFor();
    assert.equal(await b.page.getByRole('alertdialog').count(), 0, 'no question without a secret');
  } finally {
    await b.close();
  }
});
