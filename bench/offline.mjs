// P3: how much longer the app takes to start offline, under its service worker, than a plain
// HTML page showing the same first screen under the same worker; and when a returning parent
// (one child, the demo school) sees the child's question of the day on Vandaag.
//
// Why two deployments: public/sw.js answers every navigation with the cached /index.html (the app
// shell), so a static page at another address of the same site would be answered with the app
// and could never be measured as itself without changing the worker. Instead, B is a second
// private copy of the build (startServer again, another port) whose index.html is the static
// copy of the first screen, and whose sw.js is made by the project's own scripts/precache.mjs
// from the unchanged public/sw.js. So both starts take exactly the same path: navigation →
// the same worker code → /index.html from Cache Storage → the same CSS from Cache Storage; the
// only difference is the document (the app's loader + glue + wasm, or finished HTML).
// Both sites live in one browser profile and are timed in the same run, alternating.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from '../tests/e2e/browser.mjs';
import { ROOT, startServer, texts, waitForServiceWorker } from '../tests/e2e/server.mjs';
import { CPU_SLOWDOWN, READY_PROBE, promptProbe, waitPrompt, waitReady } from './common.mjs';

/**
 * The app's first screen as finished HTML: the live DOM once the app is ready, without scripts
 * and without the preloads of the glue and the .wasm (the stylesheet link stays, so it looks the
 * same and costs the same CSS).
 */
function staticCopy(page) {
  return page.evaluate(() => {
    const html = document.documentElement.cloneNode(true);
    html
      .querySelectorAll('script, link[rel="modulepreload"], link[rel="preload"]')
      .forEach((el) => el.remove());
    return '<!DOCTYPE html>\n' + html.outerHTML;
  });
}

/** The welcome as a parent goes through it once: one child in groep 4, the demo school. */
async function welcomeOneChild(page, t) {
  await page.getByRole('button', { name: t.welcome_start }).click();
  await page.getByLabel(t.child_name).fill('Anna');
  await page.getByLabel(t.child_groep).selectOption('4');
  await page.getByRole('button', { name: t.child_add }).click();
  await page.getByText(t.child_added.replace('{name}', 'Anna')).waitFor();
  await page.getByRole('button', { name: t.welcome_next }).click();
  await page.getByRole('radio', { name: t.welcome_school_demo }).check();
  await page.getByRole('button', { name: t.welcome_done }).click();
  await page.getByRole('heading', { level: 1, name: t.today_title }).waitFor();
  await page.locator('.prompt__text').filter({ hasNotText: t.prompt_none }).waitFor();
}

/** Lets what the page still does after "ready" finish, so that it does not overlap the next run. */
async function settle(page) {
  await page.waitForLoadState('load', { timeout: 60_000 });
  await page.waitForTimeout(300);
}

export async function measureOfflineStart(runs, log) {
  const app = await startServer();
  const plain = await startServer();
  const browser = await launchProfile({ realTimers: true });
  try {
    const { context } = browser;
    const t = texts('nl');
    await context.addInitScript(READY_PROBE);
    await context.addInitScript(promptProbe(t.prompt_none));

    // Online, once: the app installs its worker and the parent goes through the welcome; the
    // rendered Vandaag of this returning parent becomes site B's page.
    const pageA = context.pages()[0] ?? (await context.newPage());
    await pageA.goto(app.url + '/');
    await waitReady(pageA);
    await welcomeOneChild(pageA, t);
    await waitForServiceWorker(pageA);
    writeFileSync(join(plain.site, 'index.html'), await staticCopy(pageA));
    execFileSync('node', [join(ROOT, 'scripts', 'precache.mjs'), plain.site], { stdio: 'pipe' });

    // The static page has no script to register the worker: register it from outside, the same
    // call the app makes (src/sw.rs: register("/sw.js"), default scope).
    const pageB = await context.newPage();
    await pageB.goto(plain.url + '/');
    await waitReady(pageB);
    await pageB.evaluate(() => navigator.serviceWorker.register('/sw.js'));
    await waitForServiceWorker(pageB);

    // The network really gone: both servers stopped and the browser offline.
    await app.stop();
    await plain.stop();
    await context.setOffline(true);

    const sides = [];
    for (const [name, page] of [['app', pageA], ['static', pageB]]) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      sides.push({ name, page, cdp, runs: [] });
    }
    // A parent opening the app after a while finds its worker stopped: stop it before every
    // start, so that each run includes starting the worker, for both sides alike.
    const control = sides[0].cdp;
    let workersStopped = true;
    try {
      await control.send('ServiceWorker.enable');
      await control.send('ServiceWorker.stopAllWorkers');
    } catch (err) {
      workersStopped = false;
      log(`P3: cannot stop the service workers between runs (${err.message.split('\n')[0]}); they stay running`);
    }

    /** One offline start of a side: stop the workers, reload, time until ready. */
    const start = async (side) => {
      // The page in front, as a parent's opened app is: a page behind another gets no animation
      // frames, and "ready" is seen in one.
      await side.page.bringToFront();
      if (workersStopped) await control.send('ServiceWorker.stopAllWorkers');
      await side.page.reload({ waitUntil: 'commit', timeout: 60_000 });
      const ready = await waitReady(side.page, 60_000);
      const prompt = await waitPrompt(side.page, 60_000);
      // Guard against measuring something else than intended: the page is under the worker, and
      // the network is really gone (the worker never answers /api/, so this fetch must fail).
      // navigator.onLine is no proof: with a second DevTools session attached (the CPU
      // throttling), Chromium reports true after a reload although every request is blocked.
      const check = await side.page.evaluate(async () => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          network: await fetch('/api/bench-offline-check').then(
            (r) => `answered ${r.status}`,
            () => 'none',
          ),
          controlled: Boolean(navigator.serviceWorker.controller),
          scripts: document.scripts.length,
          // Where the time went: when the worker was running, when it had given the document.
          workerStart: nav?.workerStart ?? null,
          responseEnd: nav?.responseEnd ?? null,
        };
      });
      if (check.network !== 'none' || !check.controlled) {
        throw new Error(`P3 ${side.name}: not an offline start under the worker (${JSON.stringify(check)})`);
      }
      if ((side.name === 'static') !== (check.scripts === 0)) {
        throw new Error(`P3 ${side.name}: not the expected page (${check.scripts} scripts)`);
      }
      await settle(side.page);
      return { ready, prompt, workerStart: check.workerStart, documentAt: check.responseEnd };
    };

    // One start of each that is not counted: the first offline start after the install was seen
    // to be slower for the static page as much as for the app (caches of the browser and the
    // worker warming up), so it says little about the app and would only widen min–max. Its
    // times are printed and kept in the JSON.
    const warmup = {};
    for (const side of sides) warmup[side.name] = await start(side);
    log(`P3 warm-up (not counted): app ${warmup.app.ready.toFixed(0)} ms, static ${warmup.static.ready.toFixed(0)} ms`);

    // Alternating, and swapping which goes first in every other pair (AB BA AB …), so that
    // neither side always runs right after the other.
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) side.runs.push(await start(side));
      log(`P3 pair ${i + 1}/${runs}: app ${sides[0].runs[i].ready.toFixed(0)} ms (question ${sides[0].runs[i].prompt.toFixed(0)} ms), static ${sides[1].runs[i].ready.toFixed(0)} ms`);
    }
    return { app: sides[0].runs, static: sides[1].runs, warmup, workersStopped };
  } finally {
    await browser.close();
    await app.stop();
    await plain.stop();
  }
}
