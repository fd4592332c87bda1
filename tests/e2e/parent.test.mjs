// A parent's first week with the app: the welcome with two children, today's questions,
// reading and acknowledging the agreement, English, and their data saved, erased and restored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { momentDay } from './clock.mjs';
import { ROOT, startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
const en = texts('en');
const demo = (name) => JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', `${name}.json`), 'utf8'));
const shots = join(ROOT, 'out', 'screenshots');
mkdirSync(shots, { recursive: true });

// Every prompt of the demo school, by its Dutch text, with its band.
const bandOf = new Map(
  [...demo('prompts'), ...demo('themes').flatMap((t) => t.prompts)].map((p) => [p.text.nl, p.band]),
);

let server;
let browser;
let page;
let watched;

before(async () => {
  server = await startServer();
  browser = await launchProfile();
  watched = watchPage(browser.context, server.url);
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const card = (name) =>
  page.getByRole('article', { name: nl.prompt_for.replace('{name}', name) });
const promptText = async (name) => (await card(name).locator('.prompt__text').innerText()).trim();

test('first run with two children: a question per child, fitting their groep', async () => {
  await page.goto(server.url + '/');
  await page.getByRole('heading', { level: 1, name: nl.welcome_title }).waitFor();
  await page.screenshot({ path: join(shots, 'welkom-light.png') });
  await page.getByRole('button', { name: nl.welcome_start }).click();
  await page.getByLabel(nl.child_name).fill('Anna');
  await page.getByLabel(nl.child_groep).selectOption('2');
  await page.getByRole('button', { name: nl.child_add }).click();
  await page.getByText(nl.child_added.replace('{name}', 'Anna')).waitFor();
  // A hurried parent types the second child and taps the big button at once: the child is kept.
  await page.getByLabel(nl.child_name).fill('Bram');
  await page.getByLabel(nl.child_groep).selectOption('7');
  await page.screenshot({ path: join(shots, 'welkom-kinderen-light.png') });
  assert.equal(await page.getByRole('button', { name: 'Overslaan' }).count(), 0, 'no "Overslaan"');
  await page.getByRole('button', { name: nl.welcome_next }).click();
  await page.getByRole('radio', { name: nl.welcome_school_demo }).check();
  await page.getByRole('button', { name: nl.welcome_done }).click();
  await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();

  const anna = await promptText('Anna');
  const bram = await promptText('Bram');
  assert.ok(['1-2', 'all'].includes(bandOf.get(anna)), `Anna (groep 2) gets a 1-2 prompt: ${anna}`);
  assert.ok(['6-8', 'all'].includes(bandOf.get(bram)), `Bram (groep 7) gets a 6-8 prompt: ${bram}`);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(shots, `vandaag-kinderen-${scheme}.png`) });
    await page.screenshot({ path: join(shots, `vandaag-kinderen-${scheme}-heel.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // The README shows this screen, as a parent with two children sees it.
  if (!process.env.CI) {
    copyFileSync(join(shots, 'vandaag-kinderen-light.png'), join(ROOT, 'docs', 'screenshot.png'));
  }
});

test('"Besproken" survives a reload, can be undone, and "Andere vraag" changes the question', async () => {
  const before = await promptText('Anna');
  await card('Anna').getByRole('button', { name: nl.prompt_discussed, exact: true }).click();
  await card('Anna').getByText(nl.prompt_discussed_done).waitFor();
  await page.reload();
  await card('Anna').getByText(nl.prompt_discussed_done).waitFor();
  assert.equal(await promptText('Anna'), before, 'the discussed question stays on the card today');

  await card('Anna').getByRole('button', { name: nl.prompt_undo }).click();
  await card('Anna').getByRole('button', { name: nl.prompt_discussed, exact: true }).waitFor();

  const bram = await promptText('Bram');
  await card('Bram').getByRole('button', { name: nl.prompt_other }).click();
  assert.notEqual(await promptText('Bram'), bram, 'another question');
  assert.ok(['6-8', 'all'].includes(bandOf.get(await promptText('Bram'))), 'still for groep 7');
});

test('a question chosen with "Andere vraag" and marked "Besproken" stays today, in another tab and after a reload', async () => {
  await card('Bram').getByRole('button', { name: nl.prompt_other }).click();
  const chosen = await promptText('Bram');
  await card('Bram').getByRole('button', { name: nl.prompt_discussed, exact: true }).click();
  await card('Bram').getByText(nl.prompt_discussed_done).waitFor();
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: nl.nav_bulletins }).click();
  await page.getByRole('heading', { level: 1, name: nl.bulletins_title }).waitFor();
  await nav.getByRole('link', { name: nl.nav_today }).click();
  await card('Bram').getByText(nl.prompt_discussed_done).waitFor();
  assert.equal(await promptText('Bram'), chosen, 'the chosen question is still on the card');
  await page.reload();
  await card('Bram').getByText(nl.prompt_discussed_done).waitFor();
  assert.equal(await promptText('Bram'), chosen, 'and after a reload');
  // Today's question is in the history, under "Vandaag".
  await card('Bram').getByText(nl.prompt_history).click();
  const history = card('Bram').locator('.prompt__history li');
  await history.filter({ hasText: chosen }).waitFor();
  assert.match(await history.filter({ hasText: chosen }).innerText(), new RegExp(`^${nl.today_label}`));
  // Undone again, so that the next tests start from the day's own question.
  await card('Bram').getByRole('button', { name: nl.prompt_undo }).click();
  await card('Bram').getByRole('button', { name: nl.prompt_discussed, exact: true }).waitFor();
});

test('acknowledging the agreement shows who read it and when, after a reload', async () => {
  await page.getByRole('navigation').getByRole('link', { name: nl.nav_agreements }).click();
  await page.getByRole('heading', { level: 1, name: nl.agreements_title }).waitFor();
  const agreement = demo('agreement');
  await page.getByText(agreement.school_promises[0].text.nl).waitFor();
  await page.getByRole('button', { name: nl.ack_submit }).click();
  await page.getByText(nl.ack_need_names).waitFor();
  await page.getByLabel(nl.ack_names).fill('Sam, Noor');
  // Each parent ticks their own name.
  await page.getByRole('checkbox', { name: nl.ack_check_name.replace('{name}', 'Sam') }).check();
  await page.getByRole('checkbox', { name: nl.ack_check_name.replace('{name}', 'Noor') }).check();
  await page.getByRole('button', { name: nl.ack_submit }).click();
  await page.reload();
  const today = new Intl.DateTimeFormat('nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(momentDay());
  const expected = nl.ack_done.replace('{names}', 'Sam, Noor').replace('{date}', today);
  await page.getByText(expected).waitFor();
  await page.screenshot({ path: join(shots, 'afspraken-gelezen-light.png'), fullPage: true });
});

test('a new version of the agreement is announced with what changed', async () => {
  // The family read an older version, in which one promise was worded differently.
  await page.evaluate(() => {
    const acks = JSON.parse(localStorage.getItem('driehoek.v1.acks'));
    const old = structuredClone(acks.data[0].agreement);
    old.version = 0;
    old.school_promises[0].text.nl = 'Een oudere zin.';
    acks.data = [{ ...acks.data[0], version: 0, agreement: old }];
    localStorage.setItem('driehoek.v1.acks', JSON.stringify(acks));
  });
  await page.reload();
  await page.getByText(nl.ack_new_version).waitFor();
  const first = demo('agreement').school_promises[0].text.nl;
  await page.getByText(`${nl.change_reworded}: ${first}`).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: nl.nav_today }).click();
  await page.getByRole('link', { name: nl.ack_read_again }).waitFor();
});

test('switching to English changes the navigation, the screens and the dates', async () => {
  await page.getByRole('navigation').getByRole('link', { name: nl.nav_settings }).click();
  await page.getByRole('group', { name: nl.settings_language_label }).getByRole('radio', { name: 'English' }).check();
  const nav = page.getByRole('navigation', { name: en.nav_label });
  await nav.getByRole('link', { name: en.nav_agreements }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await nav.getByRole('link', { name: en.nav_agreements }).click();
  await page.getByRole('heading', { level: 1, name: en.agreements_title }).waitFor();
  const published = demo('agreement').published;
  assert.match(await page.locator('main').innerText(), /(January|February|March|April|May|June|July|August|September|October|November|December)/);
  assert.doesNotMatch(await page.locator('main').innerText(), /\b(januari|februari|maart|mei|juni|juli|augustus|oktober)\b/, `no Dutch month names (published ${published})`);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: en.agreements_title }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: en.nav_settings }).click();
  await page.getByRole('group', { name: en.settings_language_label }).getByRole('radio', { name: 'Nederlands' }).check();
  await page.getByRole('heading', { level: 1, name: nl.settings_title }).waitFor();
});

test("a child's groep can be changed, and the question follows the new groep", async () => {
  await page.getByRole('heading', { level: 1, name: nl.settings_title }).waitFor();
  const row = page.getByRole('form', { name: nl.settings_change_child.replace('{name}', 'Bram') });
  await row.getByLabel(nl.child_groep).selectOption('4');
  await row.getByRole('button', { name: nl.settings_save }).click();
  await page.getByText(nl.settings_changed.replace('{name}', 'Bram')).waitFor();
  await page.reload();
  await page.getByRole('navigation').getByRole('link', { name: nl.nav_today }).click();
  await card('Bram').getByText(nl.groep_n.replace('{n}', '4')).waitFor();
  assert.ok(['3-5', 'all'].includes(bandOf.get(await promptText('Bram'))), 'a question for groep 4');
  await page.getByRole('navigation').getByRole('link', { name: nl.nav_settings }).click();
});

test('export, erase, import: everything back exactly as before', async () => {
  const snapshot = () =>
    page.evaluate(() =>
      Object.fromEntries(
        Object.keys(localStorage)
          .filter((k) => k.startsWith('driehoek.'))
          .sort()
          .map((k) => [k, localStorage.getItem(k)]),
      ),
    );
  await page.getByRole('heading', { level: 1, name: nl.settings_title }).waitFor();
  const before = await snapshot();
  assert.ok(Object.keys(before).length >= 3, 'children, settings and acknowledgements are stored');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: nl.settings_export }).click(),
  ]);
  const file = join(tmpdir(), `driehoek-export-${process.pid}.json`);
  await download.saveAs(file);
  // Where the file went, and that it is to be kept like a key.
  await page.getByText(nl.settings_export_done.replace('{file}', download.suggestedFilename())).waitFor();
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).format, 'driehoek-export');

  await page.getByRole('button', { name: nl.settings_erase }).click();
  await page.getByText(nl.settings_erase_confirm).waitFor();
  await page.getByRole('button', { name: nl.settings_erase_yes }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('driehoek.v1.children')));
  assert.deepEqual(await snapshot(), {}, 'everything erased');

  await page.goto(server.url + '/instellingen');
  await page.getByRole('heading', { level: 1, name: nl.settings_title }).waitFor();
  // A broken file is refused whole.
  const broken = join(tmpdir(), `driehoek-broken-${process.pid}.json`);
  writeFileSync(broken, readFileSync(file, 'utf8').replace('"groep":2', '"groep":"twee"'));
  await page.getByLabel(nl.settings_import).setInputFiles(broken);
  await page.getByText(nl.settings_import_bad).waitFor();
  assert.deepEqual(await snapshot(), {}, 'nothing half-applied');

  // The file is shown first: nothing is replaced until the parent says so.
  await page.getByLabel(nl.settings_import).setInputFiles(file);
  const preview = page.getByRole('group', { name: nl.settings_import_check_title });
  await preview.waitFor();
  const shown = await preview.innerText();
  assert.ok(shown.includes('Anna (groep 2)') && shown.includes('Bram (groep 4)'), shown);
  assert.ok(shown.includes(nl.settings_import_check_warning), shown);
  await preview.getByRole('button', { name: nl.settings_import_cancel, exact: true }).click();
  await preview.waitFor({ state: 'detached' });
  assert.deepEqual(await snapshot(), {}, 'not replaced while the parent said no');
  await page.getByLabel(nl.settings_import).setInputFiles(file);
  await Promise.all([
    page.waitForEvent('load'),
    preview.getByRole('button', { name: nl.settings_import_replace, exact: true }).click(),
  ]);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.deepEqual(await snapshot(), before, 'exactly what was there');
  await page.goto(server.url + '/');
  await card('Anna').waitFor();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url + '/instellingen');
    await page.getByRole('heading', { level: 1, name: nl.settings_title }).waitFor();
    await page.screenshot({ path: join(shots, `instellingen-volledig-${scheme}.png`), fullPage: true });
  }
  assert.deepEqual(watched.problems, [], 'no error in the page');
});
