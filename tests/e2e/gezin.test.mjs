// The family as the school sees it: a family with children in groep 2 and 7 answers an activity
// for groep 7, and the school's Aanmeldingen (and its CSV file) show the child of groep 7 with
// "groep 7", not the other child; both parents read the agreement on one phone, each under their
// own name, and the school's overview lists both names; Instellingen says plainly what goes to
// the school, and the app says it once more before the first send.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchProfile } from './browser.mjs';
import { localAt } from './clock.mjs';
import { startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');

let server;

before(async () => {
  server = await startSyncServer();
});

after(async () => {
  await server?.stop();
});

/** An open activity without a limit on places, published anew for groep 7 only. */
async function groep7Activity() {
  const { content, etag } = await server.published();
  const now = localAt(86_400_000);
  const activity = content.activities.find(
    (a) => (a.rsvp_deadline ?? a.start) > now && a.capacity == null && !a.cancelled && a.max_per_family >= 2,
  );
  assert.ok(activity, 'the demo school has an open activity');
  activity.groepen = [7];
  await server.publish(content, etag);
  return activity;
}

/** A child added on the welcome screen or in Instellingen. */
async function addChild(page, name, groep) {
  await page.getByLabel(nl.child_name).fill(name);
  await page.getByLabel(nl.child_groep).selectOption(String(groep));
  await page.getByRole('button', { name: nl.child_add }).click();
  await page.getByText(nl.child_added.replace('{name}', name)).waitFor();
}

async function logIn(page) {
  await page.goto(`${server.url}/beheer?school=${server.school}`);
  await page.getByLabel('Beheercode').fill(server.admin);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

test('the school sees the child of groep 7 with its groep, and both parents who read the agreement', async () => {
  const activity = await groep7Activity();
  const phone = await launchProfile();
  try {
    const watched = watchPage(phone.context, server.url);
    const page = await phone.context.newPage();
    await page.goto(server.url + server.joinPath);
    // The welcome no longer says that everything stays on the phone, without the exception.
    await page.getByText(nl.welcome_privacy).waitFor();
    assert.match(nl.welcome_privacy, /school/);
    await page.getByRole('button', { name: nl.welcome_start }).click();
    await addChild(page, 'Noor', 2);
    await addChild(page, 'Sem', 7);
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(page);

    // Instellingen: two parents, and the list of what goes to the school.
    await page.getByRole('navigation').getByRole('link', { name: nl.nav_settings }).click();
    await page.getByLabel(nl.settings_parents_label).fill('Fatima, Karim');
    await page
      .getByRole('region', { name: nl.settings_parents })
      .getByRole('button', { name: nl.settings_save })
      .click();
    const disclosure = page.getByRole('region', { name: nl.disclosure_title });
    await disclosure.getByText(nl.disclosure_sent_children).waitFor();
    await disclosure.getByText(nl.disclosure_sent_names).waitFor();
    await disclosure.getByText(nl.disclosure_kept_discussed).waitFor();
    await disclosure.getByText(nl.disclosure_kept_other_children).waitFor();

    // The activity for groep 7 proposes Sem (groep 7), not Noor.
    await page.goto(`${server.url}/activiteiten/${activity.id}`);
    await page.getByRole('heading', { level: 1, name: activity.title.nl, exact: true }).waitFor();
    const form = page.getByRole('region', { name: nl.activities_form_title, exact: true });
    await form
      .getByText(nl.activities_children_for.replace('{children}', 'Sem (groep 7)'), { exact: true })
      .waitFor();
    await form.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
    await form.getByLabel(nl.activities_people).selectOption('2');
    await form.getByRole('button', { name: nl.activities_save, exact: true }).click();
    // Before the first send: what the school receives, in plain words.
    const first = page.getByRole('region', { name: nl.disclosure_first_title });
    await first.getByText(nl.disclosure_sent_children).waitFor();
    await first.getByRole('button', { name: nl.disclosure_first_yes }).click();
    await form.getByRole('status').filter({ hasText: nl.activities_state_sent }).waitFor();

    // Both parents read the agreement on this phone, each under their own name.
    await page.getByRole('navigation').getByRole('link', { name: nl.nav_agreements }).click();
    await page.getByRole('heading', { level: 1, name: nl.agreements_title }).waitFor();
    const check = (name) => page.getByRole('checkbox', { name: nl.ack_check_name.replace('{name}', name) });
    await check('Fatima').check();
    await page.getByRole('button', { name: nl.ack_submit }).click();
    await page.getByText(/^Gelezen door Fatima op /).waitFor();
    await check('Karim').check();
    await page.getByRole('button', { name: nl.ack_submit }).click();
    await page.getByText(/^Gelezen door Karim op /).waitFor();
    assert.equal(await page.getByRole('button', { name: nl.ack_submit }).count(), 0, 'both have read it');

    await page.getByRole('navigation').getByRole('link', { name: nl.nav_settings }).click();
    await page.getByRole('button', { name: nl.sync_now }).click();
    await page.getByText(nl.sync_all_sent).waitFor();
    assert.deepEqual(watched.problems, [], 'no error in the page');
  } finally {
    await phone.close();
  }

  const office = await launchProfile();
  try {
    const page = await office.context.newPage();
    await logIn(page);
    await page.getByRole('link', { name: 'Aanmeldingen', exact: true }).click();
    const card = page.locator('.beheer-rsvp').filter({ hasText: activity.title.nl });
    await card.getByText('Voor Sem (groep 7)').waitFor();
    const text = await card.innerText();
    assert.ok(text.includes('Fatima, Karim'), text);
    assert.ok(!text.includes('Noor'), `the child of groep 2 is not sent: ${text}`);
    await card.getByRole('list', { name: 'Kinderen per groep' }).getByText('groep 7: 1 ja').waitFor();

    // The school's overview of the agreement lists both names of the family.
    await page.getByRole('heading', { name: 'Afspraken gelezen' }).waitFor();
    await page.locator('.beheer-readers').getByText('Fatima en Karim').waitFor();
    const readers = await page.locator('.beheer-readers').innerText();
    assert.ok(readers.includes('Sem (groep 7)') && readers.includes('Noor (groep 2)'), readers);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download als CSV/ }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    const header = lines[0].split(';').map((cell) => cell.replace(/^"|"$/g, ''));
    const row = lines.find((line) => line.includes(activity.title.nl) && line.includes('Fatima, Karim'));
    assert.ok(row, csv.slice(0, 500));
    const cells = row.split(';').map((cell) => cell.replace(/^"|"$/g, ''));
    assert.equal(cells[header.indexOf('kind')], 'Sem');
    assert.equal(cells[header.indexOf('groep')], '7');
    assert.equal(cells[header.indexOf('antwoord')], 'ja');
  } finally {
    await office.close();
  }
});
