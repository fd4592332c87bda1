// What a parent sees when the data on their phone is damaged or from a newer app: a clear
// message, the app starting anyway, and nothing thrown away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { ROOT, startServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchProfile();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the app with `values` already in its localStorage. */
async function openWith(page, values) {
  await page.goto(server.url + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.evaluate((values) => {
    localStorage.clear();
    for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value);
  }, values);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
}

const stored = (page, key) => page.evaluate((key) => localStorage.getItem(key), key);

test('corrupt children: the parent is told, the app starts, the old value is kept', async () => {
  const page = await browser.context.newPage();
  const watched = watchPage(browser.context, server.url);
  await openWith(page, { 'driehoek.v1.children': '{"schema":2,"data":[{"na' });

  const expected = nl.storage_quarantined.replace('{kind}', nl.kind_children);
  const alert = page.getByRole('alert');
  await alert.getByText(expected).waitFor();
  assert.equal(await stored(page, 'driehoek.quarantine.children.1'), '{"schema":2,"data":[{"na');
  assert.equal(await stored(page, 'driehoek.v1.children'), null);

  const dir = join(ROOT, 'out', 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(dir, `opslag-melding-${scheme}.png`) });
  }

  await alert.getByRole('button', { name: nl.storage_dismiss }).click();
  await alert.getByText(expected).waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await alert.getByText(expected).count(), 0, 'told once, not on every start');
  assert.equal(await stored(page, 'driehoek.quarantine.children.1'), '{"schema":2,"data":[{"na');
  assert.deepEqual(watched.problems, [], 'no error in the page');
  await page.close();
});

test('settings from a newer app: the parent is told, and they are left untouched', async () => {
  const page = await browser.context.newPage();
  const newer = '{"schema":99,"data":{"lang":"en","something":"new"}}';
  await openWith(page, { 'driehoek.v1.settings': newer });
  const expected = nl.storage_newer.replace('{kind}', nl.kind_settings);
  await page.getByRole('alert').getByText(expected).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await stored(page, 'driehoek.v1.settings'), newer);
  await page.close();
});

test("the parent's language, kept in settings, is the app's language at start", async () => {
  const page = await browser.context.newPage();
  const en = texts('en');
  await openWith(page, { 'driehoek.v1.settings': '{"schema":1,"data":{"lang":"en","welcomed":true}}' });
  await page.getByRole('heading', { level: 1, name: en.today_title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.getByRole('alert').innerText(), '', 'nothing to report');
  await page.close();
});
