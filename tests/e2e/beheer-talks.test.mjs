// Gesprekken in Beheer (issue 16), as the school's office uses it: it writes a round of
// rapportgesprekken, sees the talks its times make, sees a wrong time at its field, and publishes
// it for the parents; then it plans: blocks a slot, books one for a family that phoned, moves it,
// downloads the schedule for Excel and prints a page per groep for the classroom door.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { fieldMessage, logIn as officeLogIn, withOffice as officeBrowser } from './office.mjs';
import { ROOT, startSyncServer } from './server.mjs';

const PUBLISHED = /^Gepubliceerd\. Ouders/;
const SHOTS = join(ROOT, 'out', 'screenshots');

let server;
/** Whether the server has the school's schedule routes (`…/talks/{round}/schedule`). */
let planning = false;

before(async () => {
  server = await startSyncServer();
  const { content } = await server.published();
  const probe = await fetch(
    `${server.url}/api/v1/schools/${server.school}/talks/${content.talks[0].id}/schedule`,
    { headers: { authorization: `Bearer ${server.admin}` } },
  );
  planning = probe.status === 200;
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await server?.stop();
});

/** A browser for the school's office; `fn` gets a page. */
function withOffice(fn, options = {}) {
  return officeBrowser(server, fn, options);
}

/** Logs in with the school's admin token. */
function logIn(page) {
  return officeLogIn(page, server);
}

/** Opens a new round of talks in the editor. */
async function newRound(page) {
  await page.getByRole('link', { name: /^Gesprekken met ouders/ }).click();
  await page.getByRole('button', { name: 'Nieuwe ronde' }).click();
  await page.getByRole('heading', { level: 2, name: 'Gespreksronde' }).waitFor();
}

test('the office writes a round of rapportgesprekken for groep 7, sees its talks, and publishes it', async () => {
  const title = `Rapportgesprekken groep 7 ${Date.now() % 100000}`;
  await withOffice(async (page) => {
    await logIn(page);
    await newRound(page);
    // A new round starts as most do: rapportgesprekken of 10 minutes, 5 minutes between.
    assert.equal(await page.getByLabel('Soort gesprek').inputValue(), 'rapportgesprek');
    assert.equal(await page.getByLabel('Duur van een gesprek (minuten)').inputValue(), '10');
    assert.equal(await page.getByLabel('Wisseltijd (minuten)').inputValue(), '5');

    await page.getByLabel('Titel', { exact: true }).fill(title);
    await page.getByLabel('Uitleg voor ouders', { exact: true }).fill('Tien minuten over het rapport.');
    await page.getByLabel('Groep', { exact: true }).fill('7');
    await page.getByLabel('Plaats', { exact: true }).fill('Lokaal 7');
    await page.getByRole('group', { name: 'Groep 7' }).waitFor();
    await page.getByLabel('Datum', { exact: true }).fill('2026-12-09');
    await page.getByLabel('Van', { exact: true }).fill('14:00');
    const to = page.getByLabel('Tot', { exact: true });
    await to.fill('15:00');

    // The preview follows: four talks of 10 minutes with 5 minutes between, in one hour.
    const preview = page.getByRole('region', { name: 'Deze gesprekken kunnen ouders boeken' });
    await preview
      .getByText('Groep 7, woensdag 9 december: 4 gesprekken: 14:00, 14:15, 14:30, 14:45', { exact: true })
      .waitFor();
    assert.equal(await preview.getByRole('status').innerText(), 'In totaal 4 gesprekken.');

    // An end before the start says so at "Tot", and the preview has no talks.
    await to.fill('13:00');
    assert.match(await fieldMessage(to), /De eindtijd moet na de begintijd liggen\./);
    assert.equal(await to.getAttribute('aria-invalid'), 'true');
    await preview.getByRole('status').filter({ hasText: 'Nog geen gesprekken' }).waitFor();
    await to.fill('15:00');
    assert.equal(await fieldMessage(to), '');
    await preview.getByText(/^Groep 7, woensdag 9 december: 4 gesprekken/).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the round form passes axe');

    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await page.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
  });

  // A parent's phone reads the round with the access code.
  const { content } = await server.published(server.code);
  const round = content.talks.find((r) => r.title.nl === title);
  assert.ok(round, 'the parents have the round');
  assert.equal(round.kind, 'rapportgesprek');
  assert.equal(round.slot_minutes, 10);
  assert.equal(round.changeover_minutes, 5);
  assert.deepEqual(round.groepen, [
    {
      groep: 7,
      place: { nl: 'Lokaal 7' },
      windows: [{ date: '2026-12-09', from: '14:00:00', to: '15:00:00' }],
    },
  ]);
});

test('at 320 px with 200 % text the round form and the planning fit the screen', async () => {
  await withOffice(
    async (page) => {
      await logIn(page);
      await newRound(page);
      await page.evaluate(() => {
        document.documentElement.style.fontSize = '200%';
      });
      await page.getByRole('button', { name: 'Groep toevoegen' }).click();
      await page.getByRole('button', { name: 'Controleren', exact: true }).click();
      await page.getByRole('region', { name: 'Deze gesprekken kunnen ouders boeken' }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `nothing wider than the screen (${width})`);
      for (const name of ['Tijdvak toevoegen', 'Kopieer tijden naar alle groepen', 'Groep toevoegen']) {
        const button = page.getByRole('button', { name, exact: true }).first();
        const fitsInside = await button.evaluate((b) => b.scrollWidth <= b.clientWidth);
        assert.ok(fitsInside, `${name}: the words fit in the button`);
      }
      if (planning) {
        // The planning too: each slot a small card, its buttons inside the screen.
        await page.getByRole('link', { name: 'Gesprekken', exact: true }).click();
        await page.getByRole('list', { name: 'Per groep' }).waitFor();
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 320, `the planning: nothing wider than the screen (${wide})`);
        const book = page.getByRole('button', { name: 'Boeken voor een gezin' }).first();
        assert.ok(await book.evaluate((b) => b.scrollWidth <= b.clientWidth), 'the words fit in the button');
        // The small form under a row, too.
        await book.click();
        await page.getByLabel('Naam van het kind').waitFor();
        const open = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(open <= 320, `the booking form: nothing wider than the screen (${open})`);
      }
    },
    { viewport: { width: 320, height: 740 } },
  );
});

test('the office plans: blocks a slot, books one for Noor, moves it, downloads and prints', async (t) => {
  if (!planning) {
    t.skip('the server has no schedule routes yet (branch talks-server)');
    return;
  }
  // A round of its own, published as the school's editor does: groep 7, one hour, four talks.
  const { content, etag } = await server.published();
  const title = `Rapportgesprekken planning ${Date.now() % 100000}`;
  content.talks.push({
    id: `planning-${Date.now() % 100000}`,
    kind: 'rapportgesprek',
    title: { nl: title },
    text: { nl: 'Over het rapport.' },
    groepen: [{ groep: 7, place: { nl: 'Lokaal 7' }, windows: [{ date: '2026-12-10', from: '14:00:00', to: '15:00:00' }] }],
    slot_minutes: 10,
    changeover_minutes: 5,
    opens: '2026-11-23T19:00:00',
    closes: '2026-11-30T19:00:00',
  });
  await server.publish(content, etag);
  const round = content.talks.at(-1);

  await withOffice(
    async (page) => {
      await logIn(page);
      await page.getByRole('link', { name: 'Gesprekken', exact: true }).click();
      await page.getByLabel('Gespreksronde').selectOption({ label: `${title} (Rapportgesprek)` });
      await page.getByRole('heading', { level: 3, name: title }).waitFor();
      const counts = page.getByRole('list', { name: 'Per groep' });
      const countIs = (text) => counts.getByText(text, { exact: true }).waitFor();
      await countIs('Groep 7: 0 geboekt · 4 vrij · 0 geblokkeerd');
      const table = page.getByRole('table', { name: 'Groep 7, donderdag 10 december' });
      const row = (time) => table.getByRole('row').filter({ hasText: time });
      assert.equal(await table.getByText('vrij', { exact: true }).count(), 4, 'every slot is free');

      // Block the first talk: the teacher has another appointment.
      await row('14:00–14:10').getByRole('button', { name: 'Blokkeren' }).click();
      await page.getByRole('status').filter({ hasText: 'donderdag 10 december, 14:00 is geblokkeerd.' }).waitFor();
      await countIs('Groep 7: 0 geboekt · 3 vrij · 1 geblokkeerd');
      await row('14:00–14:10').getByRole('button', { name: 'Vrijgeven' }).waitFor();

      // A mother phones: Noor of groep 7 gets 14:15.
      await row('14:15–14:25').getByRole('button', { name: 'Boeken voor een gezin' }).click();
      await page.getByLabel('Naam van het kind').fill('Noor');
      await page.getByLabel('Ouders').fill('Sanne de Vries');
      await page.getByLabel('Opmerking (mag leeg)').fill('Belt bij verhindering');
      await page.getByRole('button', { name: 'Boeken', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Geboekt: Noor komt op donderdag 10 december, 14:15.' }).waitFor();
      await row('14:15–14:25').getByText('door school').waitFor();
      await countIs('Groep 7: 1 geboekt · 2 vrij · 1 geblokkeerd');
      assert.deepEqual(await axeViolations(page), [], 'the planning passes axe');

      // She cannot come then after all: the office moves Noor to 14:45.
      await row('14:15–14:25').getByRole('button', { name: 'Verplaatsen' }).click();
      await page.getByLabel('Naar welke tijd?').selectOption({ label: 'donderdag 10 december, 14:45' });
      await page.getByRole('button', { name: 'Naar deze tijd verplaatsen' }).click();
      await page.getByRole('status').filter({ hasText: 'Verplaatst: Noor komt nu op donderdag 10 december, 14:45.' }).waitFor();
      await row('14:45–14:55').getByText('Noor').waitFor();
      assert.equal(await row('14:15–14:25').getByText('vrij', { exact: true }).count(), 1, '14:15 is free again');
      await countIs('Groep 7: 1 geboekt · 2 vrij · 1 geblokkeerd');

      // The schedule as a file for Dutch Excel.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Downloaden voor Excel' }).click(),
      ]);
      assert.match(download.suggestedFilename(), new RegExp(`^gesprekken-${round.id}-.*\\.csv$`));
      const csv = readFileSync(await download.path(), 'utf8');
      assert.ok(csv.includes(';'), `separated by ; for Dutch Excel: ${csv.slice(0, 200)}`);
      const noor = csv.split(/\r?\n/).find((line) => line.includes('Noor'));
      assert.ok(noor && noor.includes('14:45'), `Noor at 14:45 in: ${csv}`);

      // The page for the classroom door: no navigation or buttons, the school and the round.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('navigation', { name: 'Beheer' }).isVisible(), false);
      assert.equal(await page.getByRole('button', { name: 'Afdrukken' }).isVisible(), false);
      const head = page.locator('.planning-print-head').first();
      assert.match(await head.innerText(), new RegExp(`· ${title}$`));
      await page.screenshot({ path: join(SHOTS, 'planning-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    },
    { viewport: { width: 1280, height: 900 } },
  );
});

test('a schedule that does not load says so, and "Opnieuw proberen" loads it', async (t) => {
  if (!planning) {
    t.skip('the server has no schedule routes yet (branch talks-server)');
    return;
  }
  const browser = await launchProfile();
  try {
    const page = await browser.context.newPage();
    // The server does not answer the first request for the schedule.
    let refused = 0;
    await page.route('**/schedule', async (route) => {
      if (refused === 0) {
        refused += 1;
        await route.abort('internetdisconnected');
      } else {
        await route.continue();
      }
    });
    await logIn(page);
    await page.getByRole('link', { name: 'Gesprekken', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'De server antwoordt niet' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.getByRole('list', { name: 'Per groep' }).waitFor();
    assert.equal(refused, 1);
    assert.equal(await page.getByText('De server antwoordt niet').count(), 0, 'the old problem is gone');
  } finally {
    await browser.close();
  }
});
