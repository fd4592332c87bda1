// A page left open while a changed build is deployed offers the new version, and switches only
// when the parent taps "Vernieuwen".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { ROOT, finishWelcome, startServer, texts, waitForServiceWorker, watchPage } from './server.mjs';

const nl = texts('nl');

/** Deploys a changed build: a marked index.html, and the worker made anew by the build's hook. */
function deployChangedBuild(site) {
  const index = join(site, 'index.html');
  const html = readFileSync(index, 'utf8');
  writeFileSync(index, html.replace('<head>', '<head><meta name="driehoek-build" content="next">'));
  execFileSync('node', [join(ROOT, 'scripts', 'precache.mjs'), site], { stdio: 'pipe' });
}

test('a new version is offered, and runs only after "Vernieuwen"', async () => {
  const server = await startServer();
  const browser = await launchProfile();
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await page.goto(server.url + '/');
    await finishWelcome(page);
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await waitForServiceWorker(page);
    const oldWorker = readFileSync(join(server.site, 'sw.js'), 'utf8');
    // Something the parent was doing: it must survive until they choose to update.
    await page.getByRole('link', { name: nl.nav_activities }).click();
    await page.evaluate(() => (window.__stillHere = true));

    deployChangedBuild(server.site);
    assert.notEqual(readFileSync(join(server.site, 'sw.js'), 'utf8'), oldWorker, 'a new worker version');
    // The app looks for updates when it becomes visible and every hour; here, ask at once.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

    const banner = page.getByRole('status').filter({ hasText: nl.update_available });
    await banner.waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__stillHere), true, 'no reload before the tap');
    assert.equal(await page.locator('meta[name="driehoek-build"]').count(), 0, 'still the old build');

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: nl.update_button }).click(),
    ]);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(
      await page.locator('meta[name="driehoek-build"]').getAttribute('content'),
      'next',
      'the new build runs',
    );
    assert.equal(await page.evaluate(() => window.__stillHere), undefined, 'the page was reloaded');
    assert.equal(await banner.count(), 0, 'no offer once the new version runs');
    assert.deepEqual(watched.problems, [], 'no error in the page');
  } finally {
    await browser.close();
    await server.stop();
  }
});
