// What the measurements share: the budgets, the throttling of a cheap phone on a slow mobile
// network, the page-side "ready" probe, and small statistics.

/** KB as printed everywhere: 1000 bytes, the unit the budget is written in. */
export const KB = 1000;

export const BUDGETS = {
  firstLoadGzipKB: 120,
  lcpMs: 1800,
  offlineRatio: 1.5,
};

/**
 * The mobile conditions of issue 7 (Lighthouse's mobile figures): 150 ms round trip,
 * 1.6 Mbit/s down, 750 kbit/s up (bits → bytes per second), and a CPU 4× slower.
 */
export const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1.6e6 / 8,
  uploadThroughput: 750e3 / 8,
};
export const CPU_SLOWDOWN = 4;

/**
 * Runs in every document before its own scripts (an init script). "Ready" is the first
 * animation frame in which the app has taken over index.html's first screen and the screen's
 * heading and the bottom navigation's links are in the layout: rAF callbacks run just before the frame is painted, so the time is that of the first
 * frame that shows them. performance.now() counts from the navigation's start (timeOrigin).
 */
export const READY_PROBE = `(() => {
  if (window.__benchProbe) return;
  window.__benchProbe = true;
  const shown = (el) => el && el.textContent.trim() !== '' && el.getClientRects().length > 0;
  const check = () => {
    // #laden is index.html's loading message and prerendered welcome: gone once the app runs.
    const app = !document.getElementById('laden');
    if (app && shown(document.querySelector('main h1')) && shown(document.querySelector('nav a[href]'))) {
      window.__benchReady = performance.now();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
})();`;

/**
 * An init script like READY_PROBE, for a returning parent's Vandaag: the first animation frame in
 * which a child's question of the day is on screen (`.prompt__text` laid out with a question, not
 * the text for "no question", which the app shows while the demo school's content loads).
 */
export function promptProbe(noQuestion) {
  return `(() => {
  if (window.__benchPromptProbe) return;
  window.__benchPromptProbe = true;
  const none = ${JSON.stringify(noQuestion)};
  const check = () => {
    const el = document.querySelector('.prompt__text');
    const text = el ? el.textContent.trim() : '';
    if (text !== '' && !text.startsWith(none) && el.getClientRects().length > 0) {
      window.__benchPrompt = performance.now();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
})();`;
}

/**
 * An init script that records, from the page's start, the layout shifts and the long tasks (over
 * 50 ms), for CLS and TBT as Lighthouse defines them (read with `vitals`).
 */
export const VITALS_PROBE = `(() => {
  if (window.__benchVitals) return;
  const v = (window.__benchVitals = { shifts: [], longTasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) v.shifts.push({ t: e.startTime, value: e.value });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) v.longTasks.push({ t: e.startTime, d: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    v.error = String(err);
  }
})();`;

/**
 * CLS and TBT from what VITALS_PROBE recorded. CLS: the largest session window of layout shifts
 * (shifts less than 1 s apart, a window at most 5 s long). TBT: the time over 50 ms of every long
 * task that starts after the first contentful paint, up to the moment of reading (Lighthouse stops
 * at "time to interactive"; here the reading is after the load and the app's first screen).
 */
export async function vitals(page, fcp) {
  const v = await page.evaluate(() => window.__benchVitals ?? { error: 'no probe' });
  if (v.error) return { cls: null, tbt: null, error: v.error };
  let cls = 0;
  let window_ = 0;
  let first = -Infinity;
  let last = -Infinity;
  for (const s of v.shifts.sort((a, b) => a.t - b.t)) {
    if (s.t - last > 1000 || s.t - first > 5000) {
      window_ = 0;
      first = s.t;
    }
    window_ += s.value;
    last = s.t;
    cls = Math.max(cls, window_);
  }
  const from = fcp ?? 0;
  const tbt = v.longTasks
    .filter((x) => x.t >= from)
    .reduce((total, x) => total + Math.max(0, x.d - 50), 0);
  return { cls, tbt, longTasks: v.longTasks.length };
}

/** Waits for the probe's mark in `page` and returns it (ms since the navigation started). */
export async function waitReady(page, timeout = 120_000) {
  // Polled from outside every 50 ms: the time itself was taken inside the page, so the polling
  // interval adds nothing to it.
  await page.waitForFunction(() => window.__benchReady !== undefined, null, {
    polling: 50,
    timeout,
  });
  return page.evaluate(() => window.__benchReady);
}

/** Median, min and max of the numbers (null when there are none). */
export function summary(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** PASS or OVER for a figure with a budget (lower is better); n/a when it was not measured. */
export function verdict(value, budget) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value <= budget ? 'PASS' : 'OVER';
}

/** How many runs P2 and P3 make: BENCH_RUNS, 5 unless told. */
export function runCount() {
  const raw = process.env.BENCH_RUNS ?? '5';
  const n = Number.parseInt(raw, 10);
  if (!Number.isInteger(n) || n < 1 || String(n) !== raw.trim()) {
    throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not "${raw}"`);
  }
  return n;
}

/** The message of an error, on one line, for an "n/a (…)" cell. */
export function reason(err) {
  return String(err?.message ?? err).split('\n')[0].slice(0, 200);
}

/** Waits for the prompt probe's mark in `page` (promptProbe) and returns it. */
export async function waitPrompt(page, timeout = 120_000) {
  await page.waitForFunction(() => window.__benchPrompt !== undefined, null, {
    polling: 50,
    timeout,
  });
  return page.evaluate(() => window.__benchPrompt);
}
