// Beheer, as a school's office meets it: it logs in with the token the server printed, writes a
// bulletin item and an activity and publishes them; a parent's phone syncs and answers; the
// school sees the answer and downloads it. A wrong token, a field that breaks a rule and a
// colleague who published first each get a clear message, and nothing written is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { momentDay } from './clock.mjs';
import { ROOT, finishWelcome, startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');
const SHOTS = join(ROOT, 'out', 'screenshots');
/** The message after a publication the server took. */
const PUBLISHED = /^Gepubliceerd\. Ouders/;

let server;

before(async () => {
  server = await startSyncServer();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await server?.stop();
});

/** A browser for the school's office; `fn` gets a page and the context. */
async function withOffice(fn, options = {}) {
  const browser = await launchProfile(options);
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await fn(page, browser.context);
    const unexpected = watched.problems.filter(
      // A refused login (401), a colleague's earlier publication (412) and a request without a
      // network are logged by the browser; the screen explains each.
      (p) => !/status of (401|412)|ERR_INTERNET_DISCONNECTED/.test(p),
    );
    assert.deepEqual(unexpected, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** Logs in on the Beheer screen with `token`. */
async function logIn(page, token = server.admin, { remember = false } = {}) {
  await page.goto(`${server.url}/beheer?school=${server.school}`);
  await page.getByRole('heading', { level: 1, name: 'Beheer' }).waitFor();
  await page.getByLabel('Beheercode').fill(token);
  if (remember) await page.getByLabel('Onthoud op dit apparaat').check();
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** Opens a part of the editor from the overview. */
async function openPart(page, name) {
  await page.getByRole('link', { name: 'Schrijven', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
}

async function publishDraft(page) {
  await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
  await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
}

/** The error text tied to a form control (its aria-describedby). */
async function fieldMessage(control) {
  const ids = (await control.getAttribute('aria-describedby')).split(' ');
  const page = control.page();
  const texts = await Promise.all(ids.map((id) => page.locator(`#${id}`).innerText()));
  return texts.join(' ');
}

const axe = axeViolations;

/** This month in Amsterdam, as the app names it ("december 2026") and as the date "2026-12-18". */
function thisMonth() {
  const now = momentDay();
  const month = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(now);
  const [y, m] = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: 'Europe/Amsterdam' })
    .format(now)
    .split('-');
  return { name: month, day: `${y}-${m}-20` };
}

test('the school publishes an item and an activity; a parent answers; the school sees it and downloads it', async () => {
  const stamp = Date.now() % 100000;
  const itemTitle = `Nieuwe fietsenstalling ${stamp}`;
  const activityTitle = `Kerstmarkt op het plein ${stamp}`;
  const note = `Wij bakken oliebollen ${stamp}`;

  await withOffice(async (page) => {
    await logIn(page);
    await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();

    // A bulletin item in this month's maandinfo.
    const month = thisMonth();
    await openPart(page, 'Maandinfo');
    await page.locator('.beheer-list a').filter({ hasText: month.name }).click();
    await page.getByRole('button', { name: 'Nieuw bericht' }).click();
    await page.getByLabel('Soort bericht').selectOption({ label: 'Positief nieuws' });
    await page.getByLabel('Titel', { exact: true }).fill(itemTitle);
    await page.getByLabel('Tekst', { exact: true }).fill('De fietsen staan vanaf nu achter de school, onder een dak.');
    await page.getByLabel('Datum').fill(month.day);

    // An activity, with every field a parent's answer depends on.
    await openPart(page, 'Activiteiten');
    await page.getByRole('button', { name: 'Nieuwe activiteit' }).click();
    await page.getByLabel('Soort activiteit').selectOption({ label: 'Schoolfeest' });
    await page.getByLabel('Titel', { exact: true }).fill(activityTitle);
    await page.getByLabel('Uitleg voor ouders', { exact: true }).fill('Kraampjes, warme chocolademelk en het schoolkoor.');
    await page.getByLabel('Waar', { exact: true }).fill('Op het schoolplein');
    await page.getByLabel('Hoeveel personen per gezin').fill('4');
    await page.getByLabel('Hoeveel plaatsen in totaal').fill('200');
    await page.getByLabel('Ouders kunnen aangeven dat ze willen helpen').check();

    // The review names both before anything is sent.
    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    await page.getByText(itemTitle).waitFor();
    await page.getByText(activityTitle).waitFor();
    await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await page.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
  });

  const { content } = await server.published();
  const activity = content.activities.find((a) => a.title.nl === activityTitle);
  assert.ok(activity, 'the activity is published');
  assert.equal(activity.max_per_family, 4);
  assert.equal(activity.capacity, 200);
  assert.equal(activity.helpers_wanted, true);
  assert.equal(activity.kind, 'schoolfeest');
  assert.ok(content.bulletins.some((b) => b.items.some((i) => i.title.nl === itemTitle && i.kind === 'positief_nieuws')));

  // A parent's phone, connected with the school's link, syncs and sees both.
  const phone = await launchProfile();
  try {
    const page = await phone.context.newPage();
    await page.goto(server.url + server.joinPath);
    await finishWelcome(page);
    await waitForServiceWorker(page);
    await page.getByRole('link', { name: nl.nav_bulletins }).click();
    await page.getByText(itemTitle).first().waitFor();
    await page.getByRole('link', { name: nl.nav_activities }).click();
    await page.getByRole('link', { name: activityTitle }).first().click();
    await page.getByRole('heading', { level: 1, name: activityTitle }).waitFor();
    await page.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
    await page.getByLabel(nl.activities_people).selectOption('2');
    await page.getByLabel(nl.activities_note).fill(note);
    await page.getByRole('button', { name: nl.activities_save, exact: true }).click();
    // The first send: the app says what the school receives, the parent agrees.
    await page.getByRole('button', { name: nl.disclosure_first_yes }).click();
    await page
      .getByRole('region', { name: nl.activities_form_title, exact: true })
      .getByRole('status')
      .filter({ hasText: nl.activities_state_sent })
      .waitFor();
  } finally {
    await phone.close();
  }

  // The school's overview shows the answer, and the CSV file has its row.
  await withOffice(async (page) => {
    await logIn(page);
    await page.getByRole('link', { name: 'Aanmeldingen', exact: true }).click();
    const card = page.locator('.beheer-rsvp').filter({ hasText: activityTitle });
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /Ja: 1 · Misschien: 0 · Nee: 0 · 2 personen komen van de 200 plaatsen/);
    assert.ok(text.includes(note), text);
    await page.getByRole('heading', { name: 'Afspraken gelezen' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download als CSV/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^aanmeldingen-wilgenhoek-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const row = csv.split('\r\n').find((line) => line.includes(note));
    assert.ok(row, `a row with the note in:\n${csv.slice(0, 500)}`);
    // Dutch Excel's own format: `;` between cells, every cell quoted.
    const cells = row.split(';').map((cell) => cell.replace(/^"|"$/g, ''));
    assert.ok(cells.includes(activityTitle), row);
    assert.deepEqual(cells.slice(cells.indexOf('ja'), cells.indexOf('ja') + 2), ['ja', '2'], row);
  });
});

test('a wrong token is refused with a clear message, and no screen opens', async () => {
  await withOffice(async (page) => {
    await logIn(page, 'niet-de-goede-code-123');
    const alert = page.getByRole('alert').filter({ hasText: 'Deze beheercode klopt niet' });
    await alert.waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).count(), 0);
    assert.equal(await page.getByLabel('Beheercode').getAttribute('aria-describedby'), 'login-fout');
  });
});

test('a field that breaks a rule shows the message at the field, and nothing is published', async () => {
  const before = await server.published();
  await withOffice(async (page) => {
    await logIn(page);
    await openPart(page, 'Activiteiten');
    await page.locator('.beheer-list a').first().click();
    const start = page.getByLabel('Begint op');
    const end = page.getByLabel('Eindigt op');
    const startValue = await start.inputValue();
    // The end an hour before the start.
    const earlier = new Date(`${startValue}:00Z`);
    earlier.setUTCHours(earlier.getUTCHours() - 1);
    await end.fill(earlier.toISOString().slice(0, 16));
    await end.blur();
    assert.equal(await end.getAttribute('aria-invalid'), 'true');
    assert.match(await fieldMessage(end), /Het einde moet na de start liggen/);
    // An empty title says so at the title.
    const title = page.getByLabel('Titel', { exact: true });
    await title.fill('');
    assert.match(await fieldMessage(title), /Vul de Nederlandse tekst in/);

    await publishDraft(page);
    await page.getByRole('alert').filter({ hasText: 'niet gepubliceerd' }).waitFor();
    const problems = page.getByRole('region', { name: /Eerst verbeteren/ });
    assert.match(await problems.innerText(), /Activiteit zonder titel, Eindigt op: Het einde moet na de start liggen/);
    assert.deepEqual(await server.published(), before, 'the server has the old version');

    // The problem's link goes back to the field; the draft is still there after a reload.
    await problems.getByRole('link', { name: /Eindigt op/ }).click();
    await page.reload();
    await page.getByLabel('Eindigt op').waitFor();
    assert.equal(await page.getByLabel('Eindigt op').inputValue(), earlier.toISOString().slice(0, 16));
    assert.deepEqual(await axe(page), [], 'the form with errors passes axe');

    // Throwing the draft away brings back what is published.
    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Concept weggooien' }).click();
    await page.getByText('Het concept is gelijk aan wat gepubliceerd is.').waitFor();
  });
});

test('a new agreement line shows what changes for parents, and publishes as the next version', async () => {
  const before = (await server.published()).content.agreement;
  const line = `Wij sturen elke vrijdag een korte weekbrief ${Date.now() % 100000}.`;
  await withOffice(async (page) => {
    await logIn(page);
    await openPart(page, 'Afspraken');
    const list = page.getByRole('region', { name: 'Wat ouders van school mogen verwachten' });
    const count = await list.getByRole('listitem').count();
    await list.getByRole('button', { name: /^Toevoegen aan/ }).click();
    await list.getByLabel(`Afspraak ${count + 1}`, { exact: true }).fill(line);
    const changes = page.getByRole('region', { name: 'Wat verandert er voor ouders' });
    assert.match(await changes.innerText(), new RegExp(`Nieuw \\(wat ouders van school mogen verwachten\\): ${line}`));
    await publishDraft(page);
    await page.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
  });
  const after = (await server.published()).content.agreement;
  assert.equal(after.version, before.version + 1);
  assert.equal(after.school_promises.at(-1).text.nl, line);
});

test('two tabs publish from the same version: the second is told, keeps its draft, and merges', async () => {
  await withOffice(async (first, context) => {
    await logIn(first, server.admin, { remember: true });
    await first.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();
    // The second tab opens while nothing is changed yet; the remembered login opens it.
    const second = await context.newPage();
    await second.goto(`${server.url}/beheer/school`);
    await second.getByLabel('Plaats').waitFor();

    await openPart(first, 'Schoolgegevens');
    await first.getByLabel('Telefoonnummer').fill('010 765 43 21');
    await publishDraft(first);
    await first.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();

    await second.getByLabel('Plaats').fill('Wilgendorp');
    await publishDraft(second);
    const conflict = second.getByRole('alert').filter({ hasText: 'Iemand anders heeft intussen gepubliceerd' });
    await conflict.waitFor();
    assert.equal((await server.published()).content.school.place !== 'Wilgendorp', true, 'not published');
    await second.screenshot({ path: join(SHOTS, 'beheer-412.png'), fullPage: true });

    await conflict.getByRole('button', { name: 'Nieuwste versie laden' }).click();
    await second.getByRole('status').filter({ hasText: 'De nieuwste versie is geladen' }).waitFor();
    await second.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await second.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
    const { content } = await server.published();
    assert.equal(content.school.place, 'Wilgendorp', "the second tab's draft");
    assert.equal(content.school.phone, '010 765 43 21', "and the first tab's publication");
  });
});

test('the Beheer screens pass axe and fit a phone and a laptop', async () => {
  for (const [name, viewport] of [
    ['telefoon', { width: 360, height: 740 }],
    ['laptop', { width: 1280, height: 800 }],
  ]) {
    await withOffice(
      async (page) => {
        await page.goto(`${server.url}/beheer?school=${server.school}`);
        await page.getByLabel('Beheercode').waitFor();
        assert.deepEqual(await axe(page), [], 'login');
        await page.screenshot({ path: join(SHOTS, `beheer-login-${name}.png`) });
        await logIn(page);
        // Entries are addressed by their ids; a fresh login's draft is what the server has.
        const { content } = await server.published();
        const [month] = content.bulletins;
        const screens = [
          ['overzicht', '/beheer'],
          ['school', '/beheer/school'],
          ['maandinfo', `/beheer/maandinfo/${month.id}`],
          ['bericht', `/beheer/maandinfo/${month.id}/${month.items[0].id}`],
          ['activiteit', `/beheer/activiteiten/${content.activities[0].id}`],
          ['thema', `/beheer/themas/${content.themes[0].id}`],
          ['afspraken', '/beheer/afspraken'],
          ['publiceren', '/beheer/controleren'],
          ['aanmeldingen', '/beheer/aanmeldingen'],
        ];
        for (const [screen, path] of screens) {
          await page.goto(server.url + path);
          await page.getByRole('heading', { level: 2 }).first().waitFor();
          assert.deepEqual(await axe(page), [], screen);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${screen}: nothing wider than the screen (${width})`);
          await page.screenshot({ path: join(SHOTS, `beheer-${screen}-${name}.png`), fullPage: true });
        }
        // The parents' navigation is not part of Beheer.
        assert.equal(await page.locator('.bottom-nav').isVisible(), false);
      },
      { viewport },
    );
  }
});

test("a parent's phone never downloads the Beheer app, and the school's draft opens offline", async () => {
  // The parents' app: not one Beheer file is fetched or precached.
  const phone = await launchProfile();
  try {
    const requests = [];
    phone.context.on('request', (request) => requests.push(new URL(request.url()).pathname));
    const page = await phone.context.newPage();
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await waitForServiceWorker(page);
    const worker = await (await fetch(`${server.url}/sw.js`)).text();
    const precache = JSON.parse(/const PRECACHE = (\[[^\]]*\]);/.exec(worker)[1]);
    assert.ok(precache.includes('/index.html'), precache.join(' '));
    assert.deepEqual(precache.filter((url) => url.startsWith('/beheer')), [], 'nothing of Beheer');
    assert.deepEqual(requests.filter((p) => p.startsWith('/beheer')), []);
  } finally {
    await phone.close();
  }

  // The school's device, after one visit, opens its draft with the network gone.
  await withOffice(async (page, context) => {
    await logIn(page);
    await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();
    // The worker controls the page from the next load on; that load keeps the Beheer files.
    await waitForServiceWorker(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();
    await openPart(page, 'Schoolgegevens');
    await page.getByLabel('Telefoonnummer').fill('010 111 22 33');
    await context.setOffline(true);
    await page.reload();
    await page.getByLabel('Telefoonnummer').waitFor();
    assert.equal(await page.getByLabel('Telefoonnummer').inputValue(), '010 111 22 33');
    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'De server antwoordt niet' }).waitFor();
    await context.setOffline(false);
  });
});
