// After one visit, the app works with the network really gone: the server stopped and the
// browser offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import {
  ROOT, SCREENS, finishWelcome, startServer, texts, waitForServiceWorker, watchPage,
} from './server.mjs';

const nl = texts('nl');
const demo = (name) => JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', `${name}.json`), 'utf8'));

test('after one visit the app starts and every screen opens without a network', async () => {
  const server = await startServer();
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await page.goto(server.url + '/');
    await finishWelcome(page);
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(page);

    await server.stop();
    await browser.context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    const nav = page.getByRole('navigation', { name: nl.nav_label });
    for (const screen of SCREENS) {
      await nav.getByRole('link', { name: nl[screen.nav] }).click();
      await page.getByRole('heading', { level: 1, name: nl[screen.title] }).waitFor();
    }
    // A deep link typed while offline opens too: navigations get the cached app shell.
    await page.goto(server.url + '/maandinfo');
    await page.getByRole('heading', { level: 1, name: nl.bulletins_title }).waitFor();

    assert.deepEqual(watched.problems, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a parent with the demo school still sees its content offline after one visit', async () => {
  // The demo school's content is not in the wasm but an asset (demo.json) that the app fetches:
  // the service worker must have it for a start without a network.
  const server = await startServer();
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    const asked = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(server.url + '/');
    await finishWelcome(page);
    await waitForServiceWorker(page);
    assert.ok(asked.includes('/demo.json'), 'the app fetched the demo content');
    const activity = demo('activities')[0];

    await server.stop();
    await browser.context.setOffline(true);
    await page.goto(`${server.url}/activiteiten/${activity.id}`);
    await page.getByRole('heading', { level: 1, name: activity.title.nl, exact: true }).waitFor();
    await page.locator('.topbar__school').filter({ hasText: demo('school').name }).waitFor();
    assert.deepEqual(watched.problems, [], 'no error in the page');
  } finally {
    await browser.close();
    await server.stop();
  }
});
