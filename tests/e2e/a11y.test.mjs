// axe-core (injected from node_modules, no CDN) finds no WCAG 2.1 A/AA violation on any screen,
// in light and in dark mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { ROOT, startServer } from './server.mjs';

const demo = (name) => JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', `${name}.json`), 'utf8'));
const firstItem = demo('bulletins')[0].items[0].id;
const firstActivity = demo('activities')[0].id;
const ROUTES = ['/', '/afspraken', '/maandinfo', `/maandinfo/${firstItem}`, '/activiteiten',
  `/activiteiten/${firstActivity}`, '/instellingen'];

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

const violations = axeViolations;

test('the welcome has no accessibility violations, light and dark', async () => {
  const page = await browser.context.newPage();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.deepEqual(await violations(page), [], `welcome, ${scheme}`);
  }
  await page.close();
});

test('every screen has no accessibility violations, light and dark', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await page.evaluate(() => {
    localStorage.setItem('driehoek.v1.settings', '{"schema":1,"data":{"welcomed":true,"parents":["Sam"]}}');
    localStorage.setItem(
      'driehoek.v1.children',
      '{"schema":2,"data":[{"id":"kind-1","name":"Anna","groep":2},{"id":"kind-2","name":"Bram","groep":7}]}',
    );
  });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const route of ROUTES) {
      await page.goto(server.url + route);
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.deepEqual(await violations(page), [], `${route}, ${scheme}`);
    }
  }
  await page.close();
});
