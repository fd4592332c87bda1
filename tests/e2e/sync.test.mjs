// The sync with a school's server, as a parent meets it: the school's link connects the app; an
// answer given offline goes to the school when the network returns, exactly once; a server that
// dies mid-sync gets the answer once after its restart; news the school publishes appears; a new
// access code is explained in plain words and nothing the parent entered is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { localAt } from './clock.mjs';
import { ROOT, startSyncServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');

let server;

before(async () => {
  server = await startSyncServer();
});

after(async () => {
  await server?.stop();
});

/** Every RSVP the school holds (the school's own overview, with its admin token). */
async function schoolRsvps() {
  const response = await fetch(`${server.url}/api/v1/schools/${server.school}/rsvps.csv`, {
    headers: { authorization: `Bearer ${server.admin}` },
  });
  assert.equal(response.status, 200);
  const lines = (await response.text()).trim().split('\n');
  return lines.slice(1);
}

/** An activity of the school that is still open for answers, for two or more people. */
async function openActivity() {
  const { content } = await server.published(server.code);
  // Open for at least a day after the moment: the clocks run on while the test plays.
  const now = localAt(86_400_000);
  const activity = content.activities.find(
    (a) => (a.rsvp_deadline ?? a.start) > now && a.max_per_family >= 2,
  );
  assert.ok(activity, 'the demo school has an open activity');
  return activity;
}

/** A phone opened with the school's link, past the welcome. */
async function withConnectedPhone(fn) {
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    // What the page itself asks for (the service worker's precache is not the page's).
    const asked = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(server.url + server.joinPath);
    // The link connected the school already: the welcome says so by name and does not ask again.
    const { content } = await server.published(server.code);
    await page.getByText(nl.welcome_connected.replace('{school}', content.school.name)).waitFor();
    await page.getByRole('button', { name: nl.welcome_start }).click();
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the access code left the address bar');
    await waitForServiceWorker(page);
    await fn(page, browser.context);
    // The demo school is an asset for parents without a school: a connected phone never fetches it.
    assert.ok(!asked.includes('/demo.json'), 'a connected parent never requests the demo content');
    const unexpected = watched.problems.filter(
      // A failed fetch while offline or with the server down is expected and shown in words.
      (p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_FAILED|status of 401/.test(p),
    );
    assert.deepEqual(unexpected, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** Answers "ja" for `people` with `note` on the activity's page. */
async function answerYes(page, activity, people, note) {
  await page.goto(`${server.url}/activiteiten/${activity.id}`);
  await page.getByRole('heading', { level: 1, name: activity.title.nl, exact: true }).waitFor();
  await page.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
  await page.getByLabel(nl.activities_people).selectOption(String(people));
  await page.getByLabel(nl.activities_note).fill(note);
  await page.getByRole('button', { name: nl.activities_save, exact: true }).click();
  // The first time anything goes to the school, the app first says what the school receives.
  const agree = page.getByRole('button', { name: nl.disclosure_first_yes });
  if (await agree.waitFor({ timeout: 1500 }).then(() => true, () => false)) {
    await agree.click();
  }
}

function rsvpState(page) {
  return page
    .getByRole('region', { name: nl.activities_form_title, exact: true })
    .getByRole('status');
}

async function syncNow(page) {
  await page.goto(server.url + '/instellingen');
  await page.getByRole('button', { name: nl.sync_now }).click();
}

test('the school link connects the app and shows the school', async () => {
  await withConnectedPhone(async (page) => {
    const { content } = await server.published(server.code);
    await page.locator('.topbar__school').filter({ hasText: content.school.name }).waitFor();
    await page.goto(server.url + '/instellingen');
    await page.getByRole('status').filter({ hasText: /Laatst gesynchroniseerd/ }).waitFor();
    await page.getByText(nl.sync_all_sent).waitFor();
    // The connected screen meets the same accessibility bar as the rest.
    assert.deepEqual(await axeViolations(page), []);
    mkdirSync(join(ROOT, 'out', 'screenshots'), { recursive: true });
    await page.getByRole('heading', { name: nl.sync_title }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'sync-verbonden.png') });
  });
});

test('an answer given offline reaches the school once the network returns, exactly once', async () => {
  const activity = await openActivity();
  const note = `Offline gegeven ${Date.now()}`;
  await withConnectedPhone(async (page, context) => {
    await context.setOffline(true);
    await answerYes(page, activity, 2, note);
    await rsvpState(page).filter({ hasText: nl.activities_state_saved }).waitFor();
    assert.equal((await schoolRsvps()).filter((l) => l.includes(note)).length, 0, 'not sent yet');

    await context.setOffline(false);
    await rsvpState(page).filter({ hasText: nl.activities_state_sent }).waitFor();
    const rows = (await schoolRsvps()).filter((l) => l.includes(note));
    assert.equal(rows.length, 1, 'the school holds exactly one answer');
    assert.ok(rows[0].includes(activity.title.nl) && rows[0].includes('ja'), rows[0]);

    // Syncing again sends nothing twice.
    await syncNow(page);
    await page.getByText(nl.sync_all_sent).waitFor();
    assert.equal((await schoolRsvps()).filter((l) => l.includes(note)).length, 1);
  });
});

test('a server that dies mid-sync gets the answer once after its restart', async () => {
  const activity = await openActivity();
  const note = `Tijdens herstart ${Date.now()}`;
  await withConnectedPhone(async (page) => {
    // The school's server takes the answer, then dies before its reply reaches the phone.
    let killed = false;
    await page.route('**/api/v1/schools/*/rsvps/*', async (route) => {
      if (killed) return route.continue();
      killed = true;
      await route.fetch().catch(() => {});
      await server.kill();
      await route.abort('connectionreset');
    });
    await answerYes(page, activity, 1, note);
    await rsvpState(page).filter({ hasText: nl.activities_state_saved }).waitFor();
    await page.goto(server.url + '/instellingen').catch(() => {});
    assert.ok(killed, 'the server was killed mid-sync');
    // The app shell comes from the service worker while the server is down.
    await page.getByRole('alert').filter({ hasText: nl.sync_offline }).waitFor();
    await page.getByText(nl.sync_waiting_one).waitFor();

    await server.restart();
    await page.getByRole('button', { name: nl.sync_now }).click();
    await page.getByText(nl.sync_all_sent).waitFor();
    const rows = (await schoolRsvps()).filter((l) => l.includes(note));
    assert.equal(rows.length, 1, 'one answer, not two');
  });
});

test('a bulletin item the school adds appears in the app after a sync', async () => {
  await withConnectedPhone(async (page) => {
    const { content, etag } = await server.published(server.code);
    const bulletin = content.bulletins[content.bulletins.length - 1];
    const title = `Schoolfotograaf komt ${Date.now() % 100000}`;
    bulletin.items.push({
      ...bulletin.items[0],
      id: `mi-test-${Date.now()}`,
      title: { nl: title, en: 'School photographer' },
      text: { nl: 'Zorg dat uw kind er netjes bij zit.', en: 'Dress nicely.' },
    });
    // And a new version of the agreement.
    content.agreement.version += 1;
    content.agreement.vision.nl += ' We zeggen het als er iets verandert.';
    await server.publish(content, etag);

    await syncNow(page);
    await page.getByText(nl.sync_all_sent).waitFor();
    // A calm count on the tab, with an accessible name, until the parent has looked.
    const nav = page.getByRole('navigation');
    // The badge's count, then the word: "Maandinfo 1 nieuw".
    const news = (tab) => new RegExp(`^${tab}\\s*1\\s*${nl.nav_news.trim()}$`);
    const withNews = news(nl.nav_bulletins);
    await nav.getByRole('link', { name: withNews }).waitFor();
    assert.equal(
      await nav.getByRole('link', { name: nl.nav_activities, exact: true }).count(),
      1,
      'nothing new on Activiteiten',
    );
    const agreementNews = news(nl.nav_agreements);
    await nav.getByRole('link', { name: agreementNews }).waitFor();
    await nav.getByRole('link', { name: withNews }).click();
    await page.getByText(title).first().waitFor();
    await nav.getByRole('link', { name: nl.nav_bulletins, exact: true }).waitFor();
    await page.reload();
    await nav.getByRole('link', { name: nl.nav_bulletins, exact: true }).waitFor();
    await nav.getByRole('link', { name: agreementNews }).click();
    await nav.getByRole('link', { name: nl.nav_agreements, exact: true }).waitFor();
  });
});

test('a changed access code is explained, and the answer waits until the new link is given', async () => {
  const activity = await openActivity();
  const note = `Na nieuwe code ${Date.now()}`;
  await withConnectedPhone(async (page, context) => {
    await context.setOffline(true);
    await answerYes(page, activity, 1, note);
    await rsvpState(page).filter({ hasText: nl.activities_state_saved }).waitFor();

    const fresh = await server.newCode();
    await context.setOffline(false);
    await syncNow(page);
    await page.getByRole('alert').filter({ hasText: nl.sync_code_wrong }).waitFor();
    await page.getByText(nl.sync_waiting_one).waitFor();
    await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'sync-code-veranderd.png') });

    // Nothing is lost: the answer is still on the phone, after a reload too.
    await page.reload();
    await page.getByText(nl.sync_waiting_one).waitFor();
    await page.goto(`${server.url}/activiteiten/${activity.id}`);
    await rsvpState(page).filter({ hasText: nl.activities_state_saved }).waitFor();
    // Every screen says so calmly, with what waits and the way to fix it.
    for (const path of ['/', `/activiteiten/${activity.id}`]) {
      await page.goto(server.url + path);
      const banner = page.getByRole('status').filter({ hasText: nl.sync_code_wrong });
      await banner.waitFor();
      assert.ok((await banner.innerText()).includes(nl.sync_waiting_one), await banner.innerText());
      await banner.getByRole('link', { name: nl.sync_fix }).waitFor();
    }

    // The parent enters the school's new link.
    await page.goto(server.url + '/instellingen');
    await page.getByLabel(nl.settings_school_url).fill(`${server.url}/?school=${server.school}&code=${fresh}`);
    await page
      .getByRole('region', { name: nl.settings_school })
      .getByRole('button', { name: nl.settings_save })
      .click();
    await page.getByText(nl.sync_all_sent).waitFor();
    assert.equal((await schoolRsvps()).filter((l) => l.includes(note)).length, 1);
  });
});

test('an answer the school refuses stays on the phone, with the reason', async () => {
  const activity = await openActivity();
  const note = `Te laat ${Date.now()}`;
  await withConnectedPhone(async (page, context) => {
    await context.setOffline(true);
    await answerYes(page, activity, 1, note);
    await rsvpState(page).filter({ hasText: nl.activities_state_saved }).waitFor();

    // Meanwhile the school closes the answers for this activity.
    const { content, etag } = await server.published(server.code);
    const closed = content.activities.find((a) => a.id === activity.id);
    closed.rsvp_deadline = localAt(-86_400_000).slice(0, 16) + ':00';
    await server.publish(content, etag);

    await context.setOffline(false);
    await rsvpState(page).filter({ hasText: nl.activities_state_failed }).waitFor();
    await rsvpState(page).filter({ hasText: nl.sync_refused_prefix }).waitFor();
    assert.equal((await schoolRsvps()).filter((l) => l.includes(note)).length, 0);
    await page.screenshot({ path: join(ROOT, 'out', 'screenshots', 'sync-geweigerd.png') });
    await page.goto(server.url + '/instellingen');
    await page.getByText(nl.sync_waiting_one).waitFor();
  });
});
