// P2: a parent's first visit on a cheap phone over a slow mobile network. Each run is a new
// Chromium profile (no HTTP cache, no service worker), the page throttled through the DevTools
// protocol before it navigates, and timed from inside the page.
import { launchProfile } from '../tests/e2e/browser.mjs';
import { CPU_SLOWDOWN, NETWORK, READY_PROBE, VITALS_PROBE, vitals, waitReady } from './common.mjs';

/**
 * Reads first contentful paint and the last largest-contentful-paint candidate. LCP entries are
 * only given to an observer (not to getEntriesByType); `buffered: true` hands over those recorded
 * before it was made. Resolves empty if the page recorded none.
 */
function paintTimes() {
  const observed = (type) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve([]), 2000);
      const observer = new PerformanceObserver((list) => {
        clearTimeout(timer);
        observer.disconnect();
        resolve(list.getEntries());
      });
      observer.observe({ type, buffered: true });
    });
  return Promise.all([observed('paint'), observed('largest-contentful-paint')]).then(
    ([paint, lcp]) => ({
      fcp: paint.find((e) => e.name === 'first-contentful-paint')?.startTime ?? null,
      lcp: lcp.length ? lcp[lcp.length - 1].startTime : null,
      lcpElement: lcp.length ? describe(lcp[lcp.length - 1].element) : null,
    }),
  );
  function describe(el) {
    if (!el) return null;
    const text = (el.textContent ?? '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}${text ? ` "${text}"` : ''}`;
  }
}

/** One cold load of `url`; returns the times in ms from the start of the navigation. */
async function coldRun(url) {
  const { context, close } = await launchProfile({ realTimers: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

    // What actually crossed the (emulated) network, with the server's own compression.
    const responses = new Map();
    let transferred = 0;
    cdp.on('Network.responseReceived', (e) => {
      responses.set(e.requestId, {
        url: new URL(e.response.url).pathname,
        encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'none',
      });
    });
    cdp.on('Network.loadingFinished', (e) => {
      transferred += e.encodedDataLength;
      const r = responses.get(e.requestId);
      if (r) r.bytes = e.encodedDataLength;
    });

    await page.addInitScript(READY_PROBE);
    await page.addInitScript(VITALS_PROBE);
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const ready = await waitReady(page);
    // LCP may still grow after "ready" (a later, larger paint): let the load finish and two more
    // frames pass before reading it.
    await page.waitForLoadState('load', { timeout: 120_000 });
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))),
    );
    const paints = await page.evaluate(paintTimes);
    const { cls, tbt, longTasks } = await vitals(page, paints.fcp);
    return { ready, ...paints, cls, tbt, longTasks, transferred, responses: [...responses.values()] };
  } finally {
    await close();
  }
}

export async function measureColdLoad(server, runs, log) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    try {
      const run = await coldRun(server.url + '/');
      log(`P2 run ${i + 1}/${runs}: ready ${run.ready.toFixed(0)} ms, FCP ${run.fcp?.toFixed(0)} ms, LCP ${run.lcp?.toFixed(0)} ms, CLS ${run.cls?.toFixed(3)}, TBT ${run.tbt?.toFixed(0)} ms`);
      results.push(run);
    } catch (err) {
      log(`P2 run ${i + 1}/${runs} failed: ${err.message.split('\n')[0]}`);
      results.push({ error: err.message.split('\n')[0] });
    }
  }
  return results;
}
