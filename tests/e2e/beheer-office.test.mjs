// Beheer as the school's office uses it day to day (issue 17, item 12): a new, blank item is not
// red before anyone typed in it, a published draft cannot be published or thrown away again until
// something changes, a new item takes its place by date, "1 persoon komt" reads as Dutch, and a
// "Voorbeeld" shows an item or an activity as a parent's phone will.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { fieldMessage, logIn as officeLogIn, withOffice as officeBrowser } from './office.mjs';
import { localAt, momentDay } from './clock.mjs';
import { startSyncServer, texts, waitForServiceWorker } from './server.mjs';

const nl = texts('nl');
const PUBLISHED = /^Gepubliceerd\. Ouders/;
const EMPTY_DUTCH = 'Vul de Nederlandse tekst in';

let server;

before(async () => {
  server = await startSyncServer();
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

async function openPart(page, name) {
  await page.getByRole('link', { name: 'Schrijven', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
}

/** This month in Amsterdam as the app names it ("november 2026"), and its `YYYY-MM`. */
function thisMonth() {
  const now = momentDay();
  const name = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(now);
  return { name, value: now.toISOString().slice(0, 7) };
}

/** Opens this month of the maandinfo and adds a new item there. */
async function newItem(page) {
  await openPart(page, 'Maandinfo');
  await page.locator('.beheer-list a').filter({ hasText: thisMonth().name }).click();
  await page.getByRole('button', { name: 'Nieuw bericht' }).click();
  await page.getByRole('heading', { level: 2, name: 'Bericht' }).waitFor();
}

test('a new, blank item is not red until a field is left or the office presses "Controleren"', async () => {
  await withOffice(async (page) => {
    await logIn(page);
    await newItem(page);
    const title = page.getByLabel('Titel', { exact: true });
    const text = page.getByLabel('Tekst', { exact: true });
    // Nothing typed yet: no red message, no field marked invalid.
    assert.equal(await fieldMessage(title), '');
    assert.equal(await fieldMessage(text), '');
    assert.equal(await title.getAttribute('aria-invalid'), 'false');
    assert.equal(await page.getByText(EMPTY_DUTCH).count(), 0, 'no field is red at once');

    // Leaving the title empty says so at the title, and only there.
    await title.focus();
    await title.blur();
    assert.match(await fieldMessage(title), new RegExp(EMPTY_DUTCH));
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    assert.equal(await fieldMessage(text), '', 'the text was not touched yet');

    // "Controleren" checks the whole draft and shows every problem at its field.
    await page.getByRole('button', { name: 'Controleren', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /punten? om te verbeteren/ }).waitFor();
    assert.match(await fieldMessage(text), new RegExp(EMPTY_DUTCH));

    // Typing a text takes its message away, and the count goes with the next change.
    await text.fill('De fietsenstalling gaat open.');
    assert.equal(await fieldMessage(text), '');
    assert.equal(await page.getByRole('status').filter({ hasText: /om te verbeteren/ }).count(), 0);
  });
});

test('after publishing, "Publiceren" and "Concept weggooien" wait until something changes', async () => {
  await withOffice(async (page) => {
    await logIn(page);
    await openPart(page, 'Schoolgegevens');
    await page.getByLabel('Telefoonnummer').fill(`010 ${Date.now() % 1000} 00 11`);
    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    const publish = page.getByRole('button', { name: 'Publiceren', exact: true });
    const discard = page.getByRole('button', { name: 'Concept weggooien' });
    assert.equal(await publish.isEnabled(), true);
    assert.equal(await discard.isEnabled(), true);
    await publish.click();
    await page.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
    assert.equal(await publish.isDisabled(), true, 'nothing new to publish');
    assert.equal(await discard.isDisabled(), true, 'nothing to throw away');

    // A change makes both possible again.
    await openPart(page, 'Schoolgegevens');
    await page.getByLabel('Plaats').fill('Wilgendorp');
    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    assert.equal(await publish.isEnabled(), true);
    assert.equal(await discard.isEnabled(), true);
  });
});

test('a new item takes its place by date among the items of its month', async () => {
  const month = thisMonth();
  const before = (await server.published()).content.bulletins.find((b) => b.month === month.value);
  assert.ok(before, `the demo school has a maandinfo for ${month.value}`);
  const day = `${month.value}-02`;
  const later = before.items.find((i) => i.when && i.when.date > day);
  assert.ok(later, 'the month has an item later than the new one');
  const title = `Sportdag verplaatst ${Date.now() % 100000}`;

  await withOffice(async (page) => {
    await logIn(page);
    await newItem(page);
    await page.getByLabel('Titel', { exact: true }).fill(title);
    await page.getByLabel('Tekst', { exact: true }).fill('De sportdag is een week later.');
    await page.getByLabel('Datum').fill(day);
    await page.getByRole('link', { name: '← Terug naar de maand' }).click();

    // In the month's list it stands before the first item with a later date, not at the end.
    const rows = page.locator('.beheer-list .beheer-list__title');
    await rows.filter({ hasText: title }).waitFor();
    // The item moves as the form is left: give the list a moment to follow.
    let titles = [];
    for (let tries = 0; tries < 30; tries += 1) {
      titles = await rows.allInnerTexts();
      if (titles[titles.indexOf(title) + 1] === later.title.nl) break;
      await page.waitForTimeout(100);
    }
    const at = titles.indexOf(title);
    assert.ok(at < titles.length - 1, `not at the end: ${titles.join(' | ')}`);
    assert.equal(titles[at + 1], later.title.nl, titles.join(' | '));

    await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
    await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await page.getByRole('status').filter({ hasText: PUBLISHED }).waitFor();
  });

  // Parents get it in date order too.
  const after = (await server.published()).content.bulletins.find((b) => b.month === month.value);
  const order = after.items.map((i) => i.title.nl);
  assert.equal(order[order.indexOf(title) + 1], later.title.nl, order.join(' | '));
});

test('one person coming reads "1 persoon komt"', async () => {
  // Open for answers for at least a day after the moment.
  const now = localAt(86_400_000);
  const activity = (await server.published()).content.activities.find(
    (a) => !a.cancelled && a.groepen.length === 0 && (a.rsvp_deadline ?? a.start) > now,
  );
  assert.ok(activity, 'the demo school has an open activity');

  const phone = await launchProfile();
  try {
    const page = await phone.context.newPage();
    await page.goto(server.url + server.joinPath);
    await page.getByRole('button', { name: nl.welcome_start }).click();
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(page);
    await page.goto(`${server.url}/activiteiten/${activity.id}`);
    await page.getByRole('heading', { level: 1, name: activity.title.nl }).waitFor();
    await page.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
    await page.getByLabel(nl.activities_people).selectOption('1');
    await page.getByRole('button', { name: nl.activities_save, exact: true }).click();
    // The first send: the app first says what goes to the school.
    await page.getByRole('button', { name: nl.disclosure_first_yes }).click();
    await page
      .getByRole('region', { name: nl.activities_form_title, exact: true })
      .getByRole('status')
      .filter({ hasText: nl.activities_state_sent })
      .waitFor();
  } finally {
    await phone.close();
  }

  await withOffice(async (page) => {
    await logIn(page);
    await page.getByRole('link', { name: 'Aanmeldingen', exact: true }).click();
    const card = page.locator('.beheer-rsvp').filter({ hasText: activity.title.nl });
    await card.waitFor();
    const totals = await card.locator('.beheer-totals').innerText();
    assert.match(totals, /· 1 persoon komt( |$)/, totals);
    assert.doesNotMatch(totals, /1 personen/, totals);
    assert.match(totals, /· 0 helpen mee$/, totals);
  });
});

test('"Voorbeeld" shows an item and an activity as a parent\'s phone does, 360 px wide', async () => {
  const content = (await server.published()).content;
  const activity = content.activities.find((a) => !a.cancelled);
  await withOffice(
    async (page) => {
      await logIn(page);
      // A new item, as the office writes it: the card follows every letter.
      await newItem(page);
      await page.getByLabel('Soort bericht').selectOption({ label: 'Positief nieuws' });
      await page.getByLabel('Titel', { exact: true }).fill('Nieuwe fietsenstalling');
      await page.getByLabel('Tekst', { exact: true }).fill('De fietsen staan droog.');
      await page.getByLabel('Datum').fill(`${thisMonth().value}-20`);
      const show = page.getByRole('button', { name: 'Voorbeeld', exact: true });
      assert.equal(await show.getAttribute('aria-expanded'), 'false');
      await show.click();
      assert.equal(await show.getAttribute('aria-expanded'), 'true');
      const preview = page.getByRole('region', { name: /^Voorbeeld: zo ziet een ouder het/ });
      const card = preview.getByRole('article');
      await card.waitFor();
      const text = await card.innerText();
      for (const part of ['Positief nieuws', nl.bulletins_new, 'Nieuwe fietsenstalling', 'De fietsen staan droog.', '20 november']) {
        assert.ok(text.includes(part), `${part} in: ${text}`);
      }
      const frame = await preview.locator('.beheer-phone').boundingBox();
      assert.equal(Math.round(frame.width), 360, 'as wide as a phone');
      // The parents' own card: the same class, so the same look.
      assert.equal(await card.getAttribute('class'), 'bulletin-item bulletin-item--unread');
      await page.getByLabel('Titel', { exact: true }).fill('Nieuwe overdekte fietsenstalling');
      await card.getByText('Nieuwe overdekte fietsenstalling').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the form with its preview passes axe');

      // An activity: its card and what its page tells a parent.
      await page.goto(`${server.url}/beheer/activiteiten/${activity.id}`);
      await page.getByRole('button', { name: 'Voorbeeld', exact: true }).click();
      const shown = page.getByRole('region', { name: /^Voorbeeld: zo ziet een ouder het/ });
      const activityText = await shown.innerText();
      for (const part of [activity.title.nl, nl.activities_when, nl.activities_where, activity.location.nl]) {
        assert.ok(activityText.includes(part), `${part} in: ${activityText}`);
      }
      assert.equal(await shown.locator('article.activity-card').count(), 1);
    },
    { viewport: { width: 1280, height: 800 } },
  );
});

test('at 320 px with 200 % text the new item, its preview and the review fit the screen', async () => {
  await withOffice(
    async (page) => {
      await logIn(page);
      await newItem(page);
      const big = () => page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
      const fits = async (what) => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `${what}: nothing wider than the screen (${width})`);
      };
      await big();
      await page.getByRole('button', { name: 'Controleren', exact: true }).click();
      await page.getByRole('button', { name: 'Voorbeeld', exact: true }).click();
      await page.getByRole('region', { name: /^Voorbeeld/ }).getByRole('article').waitFor();
      await fits('the item with its problems and preview');
      // The buttons of the status bar keep their words whole inside them.
      for (const name of ['Controleren', 'Uitloggen']) {
        const button = page.getByRole('button', { name, exact: true });
        const fitsInside = await button.evaluate((b) => b.scrollWidth <= b.clientWidth);
        assert.ok(fitsInside, `${name}: the word fits in its button`);
      }
      await page.getByRole('link', { name: 'Controleren en publiceren' }).click();
      await page.getByRole('heading', { level: 2, name: 'Controleren en publiceren' }).waitFor();
      await big();
      await fits('the review');
    },
    { viewport: { width: 320, height: 740 } },
  );
});

test('a first load that fails says so, and "Opnieuw proberen" loads the school\'s content', async () => {
  const browser = await launchProfile();
  try {
    const page = await browser.context.newPage();
    // The server does not answer the first request for the content.
    let refused = 0;
    await page.route('**/content', async (route) => {
      if (refused === 0) {
        refused += 1;
        await route.abort('internetdisconnected');
      } else {
        await route.continue();
      }
    });
    await page.goto(`${server.url}/beheer?school=${server.school}`);
    await page.getByLabel('Beheercode').fill(server.admin);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'De server antwoordt niet' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();
    assert.equal(refused, 1);
    assert.equal(await page.getByText('De server antwoordt niet').count(), 0, 'the old problem is gone');
  } finally {
    await browser.close();
  }
});

test('moving between the tabs while the content loads and after it never breaks the page', async () => {
  await withOffice(async (page) => {
    // The school's content arrives only when the test lets it: the office moves on before that.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await page.route('**/content', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/beheer?school=${server.school}`);
    await page.getByLabel('Beheercode').fill(server.admin);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('status').filter({ hasText: 'De gepubliceerde inhoud wordt opgehaald' }).waitFor();
    const tab = (name) => page.getByRole('link', { name, exact: true });

    // While loading: the follow-up screens open, and "Schrijven" still says it is loading.
    await tab('Aanmeldingen').click();
    await page.getByRole('heading', { name: 'Aanmeldingen per activiteit' }).waitFor();
    await tab('Schrijven').click();
    await page.getByRole('status').filter({ hasText: 'De gepubliceerde inhoud wordt opgehaald' }).waitFor();
    await tab('Afwezig vandaag').click();
    await page.getByRole('heading', { name: 'Afwezig vandaag' }).waitFor();

    // The content arrives while the office is on another tab; every tab then opens at once.
    release();
    await page.route('**/content', (route) => route.continue());
    for (const [name, heading] of [
      ['Schrijven', 'Wat wilt u schrijven?'],
      ['Aanmeldingen', 'Aanmeldingen per activiteit'],
      ['Schrijven', 'Wat wilt u schrijven?'],
      ['Afwezig vandaag', 'Afwezig vandaag'],
      ['Aanmeldingen', 'Aanmeldingen per activiteit'],
      ['Schrijven', 'Wat wilt u schrijven?'],
    ]) {
      await tab(name).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      assert.equal(await tab(name).getAttribute('aria-current'), 'page', `${name} is marked as the open tab`);
    }
  });
});
