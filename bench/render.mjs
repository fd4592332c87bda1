// P4: rendering a big screen on a slow phone. A school with 12 months of maandinfo (15 items
// each, 180 in all) and 50 upcoming activities, kept in the app's storage as if synced; the
// parent is on Vandaag and taps Maandinfo or Activiteiten in the bottom navigation, with the CPU
// 4× slower. Timed inside the page from the click to the first frame painted with the whole list.
//
// The content is the demo school's own texts (core/data/demo/*.json), multiplied and dated
// around today, so that it is valid for the Rust model (serde) and for core's validate(): the
// demo's items and activities are repeated with new ids and new dates; agreement, themes and
// prompts are the demo's. Nothing is fetched while timing: the content is in localStorage.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from '../tests/e2e/browser.mjs';
import { MOMENT_MS } from '../tests/e2e/clock.mjs';
import { ROOT, texts, waitForServiceWorker } from '../tests/e2e/server.mjs';
import { CPU_SLOWDOWN, READY_PROBE, waitReady } from './common.mjs';

/** The budget of P4: one frame at 60 Hz, from the tap until the new screen is painted. */
export const RENDER_BUDGET_MS = 16;

/** How big the school is. */
export const SIZE = { months: 12, itemsPerMonth: 15, activities: 50 };

/** The child of the seeded family: every item and activity shown concerns this groep. */
const GROEP = 5;

// ---------------------------------------------------------------------------------------------
// The content

const DAY = 86_400_000;

/** Today's date in the Netherlands (the app's "today"), as a UTC-midnight Date. */
function todayInAmsterdam(now = new Date()) {
  const ymd = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return new Date(`${ymd}T00:00:00Z`);
}

const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (d, n) => new Date(d.getTime() + n * DAY);
const daysBetween = (a, b) => Math.round((b.getTime() - a.getTime()) / DAY);
/** `YYYY-MM-DDTHH:MM:SS` (a NaiveDateTime) split into a UTC-midnight date and the time. */
const splitDateTime = (s) => ({ date: new Date(`${s.slice(0, 10)}T00:00:00Z`), time: s.slice(11) });
const dateTime = (date, time) => `${iso(date)}T${time}`;

/** A month `offset` months from the month of `date`: { year, month, days, first }. */
function monthFrom(date, offset) {
  const first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return { year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, days, first };
}
const ym = (m) => `${m.year}-${String(m.month).padStart(2, '0')}`;

/** Groepen that include the child's, so that the parent's filter shows every item. */
const withChild = (groepen) =>
  groepen.length === 0 || groepen.includes(GROEP) ? groepen : [...groepen, GROEP].sort((a, b) => a - b);

const demo = (name) => JSON.parse(readFileSync(join(ROOT, 'core', 'data', 'demo', `${name}.json`), 'utf8'));

/**
 * The big school's content (the `Content` of core/src/model.rs). Months run from 6 months before
 * the current one to 5 after it; activities from 3 days after today, every 2 or 3 days, so that
 * all 50 are upcoming and open for answers.
 */
export function benchContent(now = new Date()) {
  const today = todayInAmsterdam(now);
  const bulletins = demo('bulletins');
  const items = bulletins.flatMap((b) => b.items);
  const activities = demo('activities');

  const months = [];
  for (let m = 0; m < SIZE.months; m++) {
    const month = monthFrom(today, m - 6);
    const list = [];
    for (let i = 0; i < SIZE.itemsPerMonth; i++) {
      const source = items[(m * SIZE.itemsPerMonth + i) % items.length];
      const item = {
        id: `bench-${ym(month)}-${String(i + 1).padStart(2, '0')}`,
        kind: source.kind,
        title: source.title,
        text: source.text,
        groepen: withChild(source.groepen ?? []),
      };
      if (source.when) {
        // Spread over the month; a range keeps its length but stays within the month.
        let day = 1 + Math.floor((i * (month.days - 1)) / SIZE.itemsPerMonth);
        // On a school day: the Monday after a weekend, or the Friday before one at a month's end.
        const weekday = (d) => addDays(month.first, d - 1).getUTCDay();
        if (weekday(day) === 6) day = day + 2 <= month.days ? day + 2 : day - 1;
        if (weekday(day) === 0) day = day + 1 <= month.days ? day + 1 : day - 2;
        const date = addDays(month.first, day - 1);
        const when = { date: iso(date) };
        if (source.when.until) {
          const span = daysBetween(new Date(source.when.date), new Date(source.when.until));
          when.until = iso(addDays(date, Math.min(span, month.days - day)));
        }
        if (source.when.from_time) when.from_time = source.when.from_time;
        if (source.when.to_time) when.to_time = source.when.to_time;
        item.when = when;
      }
      list.push(item);
    }
    const title = bulletins[m % bulletins.length].title;
    months.push({ id: `bench-maandinfo-${ym(month)}`, month: ym(month), title, items: list });
  }

  const acts = [];
  let day = addDays(today, 3);
  for (let i = 0; i < SIZE.activities; i++) {
    // Weekdays only, as a school plans them.
    while ([0, 6].includes(day.getUTCDay())) day = addDays(day, 1);
    const source = activities[i % activities.length];
    const start = splitDateTime(source.start);
    const end = splitDateTime(source.end);
    const activity = {
      ...source,
      id: `bench-a-${String(i + 1).padStart(2, '0')}`,
      groepen: withChild(source.groepen ?? []),
      start: dateTime(day, start.time),
      end: dateTime(addDays(day, daysBetween(start.date, end.date)), end.time),
    };
    if (source.rsvp_deadline) {
      // The same number of days before the start as in the demo, but never before tomorrow.
      const deadline = splitDateTime(source.rsvp_deadline);
      const before = Math.min(daysBetween(deadline.date, start.date), daysBetween(today, day) - 1);
      activity.rsvp_deadline = dateTime(addDays(day, -Math.max(before, 1)), deadline.time);
      if (activity.rsvp_deadline > activity.start) activity.rsvp_deadline = dateTime(addDays(day, -1), '12:00:00');
    }
    acts.push(activity);
    day = addDays(day, 2 + (i % 2));
  }

  // Themes and the agreement moved by whole weeks to this school year, as the demo does.
  const monday = addDays(today, -((today.getUTCDay() + 6) % 7));
  const shift = daysBetween(new Date('2026-11-23T00:00:00Z'), monday);
  const moved = (d) => iso(addDays(new Date(`${d}T00:00:00Z`), shift));
  const agreement = demo('agreement');
  agreement.published = moved(agreement.published);
  const themes = demo('themes').map((t) => ({ ...t, from: moved(t.from), to: moved(t.to) }));

  return {
    school: {
      id: 'benchmark',
      name: 'Basisschool De Meetlat',
      place: 'Sluisveen',
      website: 'https://meetlat.example.nl',
      phone: '0123-456780',
      email: 'info@meetlat.example.nl',
    },
    agreement,
    bulletins: months,
    activities: acts,
    themes,
    prompts: demo('prompts'),
  };
}

/** What the app keeps in localStorage (src/records.rs, src/storage.rs): key → envelope. */
export function benchStorage(now = new Date()) {
  return {
    'driehoek.v1.content': JSON.stringify({ schema: 1, data: benchContent(now) }),
    'driehoek.v1.children': JSON.stringify({
      schema: 2,
      data: [{ id: 'kind-bench', name: 'Sam', groep: GROEP }],
    }),
    'driehoek.v1.settings': JSON.stringify({
      schema: 1,
      data: { lang: 'nl', parents: ['Alex'], sync_url: null, welcomed: true },
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The measurement

/** The two screens: where the tap goes, and what "the whole list is there" means. */
function screens() {
  const t = texts('nl');
  return [
    {
      name: 'bulletins',
      label: t.nav_bulletins,
      path: '/maandinfo',
      title: t.bulletins_title,
      selector: 'main .bulletin-item',
      expected: SIZE.months * SIZE.itemsPerMonth,
    },
    {
      name: 'activities',
      label: t.nav_activities,
      path: '/activiteiten',
      title: t.activities_title,
      selector: 'main .activity-card',
      expected: SIZE.activities,
    },
  ];
}

/**
 * Installed in the page before the tap (runs in the page). A capturing click listener on the
 * window takes the click's own timestamp (when the browser made the event; what Event Timing
 * counts from). From then, every animation frame checks, in its requestAnimationFrame callback
 * (just before the frame's style, layout and paint), whether the target screen is complete: its
 * path, its h1, and all `expected` list elements in the layout. In the first frame where it is,
 * the callback posts a task, which runs once that frame has been rendered: that is "painted".
 * The check runs once per frame and never in between: a check after every DOM change would
 * force a layout each time and slow down what it measures. A MutationObserver only notes the time
 * of the last change (the DOM complete, before style, layout and paint). The click's Event Timing
 * entry (duration up to the next paint after its handlers, rounded to 8 ms) is kept as a check
 * on the whole approximation.
 */
function installProbe({ path, title, selector, expected, linkHref }) {
  window.__p4 = undefined;
  const r = { clickAt: null, handlerAt: null, domAt: null, frameAt: null, paintedAt: null, firstAt: null, frames: 0, event: null };
  const timing = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'click' && r.clickAt !== null && Math.abs(e.startTime - r.clickAt) < 1) {
        r.event = {
          duration: e.duration,
          processingStart: e.processingStart - e.startTime,
          processingEnd: e.processingEnd - e.startTime,
        };
      }
    }
  });
  // 16 ms is the lowest threshold allowed: a faster click gives no entry.
  timing.observe({ type: 'event', durationThreshold: 16 });
  let lastChange = null;
  const observer = new MutationObserver(() => {
    lastChange = performance.now();
  });
  // `min` list elements in the layout: 1 for "the screen is there" (what fills the phone's screen
  // first), `expected` for "the whole list is there".
  const shows = (min) => {
    if (location.pathname !== path) return false;
    const h1 = document.querySelector('main h1');
    if (!h1 || h1.textContent.trim() !== title) return false;
    const list = document.querySelectorAll(selector);
    return list.length >= min && list[list.length - 1].getClientRects().length > 0;
  };
  const complete = () => shows(expected);
  const frame = () => {
    r.frames += 1;
    if (r.firstAt === null && shows(1)) {
      // This frame paints the new screen with its first cards: the parent sees the answer.
      setTimeout(() => {
        r.firstAt = performance.now();
      }, 0);
    }
    if (!complete()) {
      requestAnimationFrame(frame);
      return;
    }
    r.frameAt = performance.now();
    r.domAt = lastChange;
    observer.disconnect();
    setTimeout(() => {
      r.paintedAt = performance.now();
      // Let the Event Timing entry arrive (it is queued after the paint).
      setTimeout(() => {
        timing.disconnect();
        window.__p4 = { ...r, shown: document.querySelectorAll(selector).length };
      }, 100);
    }, 0);
  };
  window.addEventListener(
    'click',
    function onClick(event) {
      const link = event.target.closest?.('a[href]');
      if (!link || link.getAttribute('href') !== linkHref) return;
      window.removeEventListener('click', onClick, { capture: true });
      r.clickAt = event.timeStamp;
      r.handlerAt = performance.now();
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      requestAnimationFrame(frame);
    },
    { capture: true },
  );
}

/** Until the page has nothing left to do: loaded, two frames, and an idle period. */
async function settle(page) {
  await page.waitForLoadState('load', { timeout: 60_000 });
  await page.evaluate(
    () =>
      new Promise((done) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => requestIdleCallback(() => setTimeout(done, 200), { timeout: 2000 })),
        ),
      ),
  );
}

/**
 * A fresh start of the app on Vandaag (a new document, storage as it is), then the tap; or, with
 * `fresh: false`, a tap on Vandaag in the same page first. `trace` (a recorder) and `rate` are for
 * the diagnosis, not for the figures.
 */
export async function tap(page, cdp, url, screen, { fresh = true, trace = null, rate = CPU_SLOWDOWN } = {}) {
  const t = texts('nl');
  if (fresh) {
    await page.goto(url + '/', { waitUntil: 'commit', timeout: 60_000 });
    await waitReady(page, 60_000);
  } else {
    await page.getByRole('navigation').getByRole('link', { name: t.nav_today, exact: true }).click();
  }
  await page.getByRole('heading', { level: 1, name: t.today_title }).waitFor({ timeout: 60_000 });
  await settle(page);
  const link = page.getByRole('navigation').getByRole('link', { name: screen.label, exact: true });
  await link.waitFor();
  await page.evaluate(installProbe, {
    path: screen.path,
    title: screen.title,
    selector: screen.selector,
    expected: screen.expected,
    linkHref: screen.path,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  try {
    if (trace) await trace.start();
    await link.click({ timeout: 60_000 });
    await page
      .waitForFunction(() => window.__p4 !== undefined, null, { polling: 50, timeout: 60_000 })
      .catch(async (err) => {
        const seen = await page.evaluate(
          (s) => ({ path: location.pathname, shown: document.querySelectorAll(s).length }),
          screen.selector,
        );
        throw new Error(
          `${screen.path}: the screen never showed ${screen.expected} × ${screen.selector} ` +
            `(at ${seen.path}, ${seen.shown} shown): ${err.message.split('\n')[0]}`,
        );
      });
  } finally {
    if (trace) await trace.stop();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  const r = await page.evaluate(() => window.__p4);
  return {
    // Until the new screen, with the first cards of its list, was painted: what the parent sees.
    painted: r.firstAt - r.clickAt,
    // Until the whole list was painted (long lists are drawn in steps after the first frame).
    complete: r.paintedAt - r.clickAt,
    // Until the DOM was complete (before style, layout and paint of the new screen).
    dom: r.domAt - r.clickAt,
    // From the click's timestamp until its listeners ran (input delay).
    inputDelay: r.handlerAt - r.clickAt,
    // Frames that began before the list was complete, the one that showed it included.
    frames: r.frames,
    eventTiming: r.event,
    shown: r.shown,
  };
}

/** Fills the app's storage with the big school and checks that the app shows it, unharmed. */
export async function seed(page, url) {
  await page.goto(url + '/');
  await page.evaluate((entries) => {
    for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
  }, benchStorage(new Date(MOMENT_MS)));
  await page.reload();
  await waitReady(page, 60_000);
  await waitForServiceWorker(page);
  const t = texts('nl');
  await page.getByRole('heading', { level: 1, name: t.today_title }).waitFor({ timeout: 60_000 });
  const check = await page.evaluate(() => ({
    banner: document.querySelector('.storage-banner')?.textContent.trim() ?? '',
    quarantined: Object.keys(localStorage).filter((k) => k.startsWith('driehoek.quarantine.')),
    content: localStorage.getItem('driehoek.v1.content')?.length ?? 0,
    topbar: document.querySelector('.topbar__school')?.textContent.trim() ?? '',
  }));
  if (check.banner || check.quarantined.length || check.content === 0) {
    throw new Error(`the app did not take the benchmark's content: ${JSON.stringify(check)}`);
  }
  return check;
}

/** A screenshot of the screen's top, and one scrolled to its last element. */
async function screenshots(page, screen) {
  const top = `/tmp/p4-${screen.name}.png`;
  const end = `/tmp/p4-${screen.name}-end.png`;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: top });
  await page.locator(screen.selector).last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: end });
  await page.evaluate(() => window.scrollTo(0, 0));
  return [top, end];
}

/**
 * A CPU profile (JS and wasm self time by function) and a timeline trace (time by kind of work
 * on the page's main thread) of one tap: where the time goes. Only with BENCH_P4_PROFILE=1.
 */
function recorder(cdp) {
  const events = [];
  let profile = null;
  let tracingDone = null;
  const onData = (e) => events.push(...e.value);
  return {
    async start() {
      events.length = 0;
      cdp.on('Tracing.dataCollected', onData);
      tracingDone = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: {
          includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
        },
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    },
    async stop() {
      profile = (await cdp.send('Profiler.stop')).profile;
      await cdp.send('Profiler.disable');
      await cdp.send('Tracing.end');
      await tracingDone;
      cdp.off('Tracing.dataCollected', onData);
    },
    result: () => ({ profile, events }),
  };
}

/** A long Rust symbol made readable: generic arguments and hashes dropped. */
function shortName(name) {
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '<') depth += 1;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out.replace(/::h[0-9a-f]{16}$/, '').slice(0, 140);
}

/**
 * The tap's window in the trace: from the click's dispatch on the main thread, for `ms`
 * milliseconds (the measured time); and the main thread's ids. Null when not found.
 */
function tapWindow(events, ms) {
  const click = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click');
  if (!click) return null;
  return { pid: click.pid, tid: click.tid, from: click.ts, to: click.ts + ms * 1000 };
}

/**
 * Self time by function from a CPU profile, within the window (trace clock, µs) when given:
 * the biggest functions, and the time by where the code is (wasm, the JS glue, the browser's
 * own DOM functions, garbage collection, the rest).
 */
export function selfTimes(profile, window = null, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const where = new Map();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    at += profile.timeDeltas[i];
    if (window && (at < window.from || at > window.to)) return;
    const f = byId.get(id).callFrame;
    const file = f.url ? f.url.split('/').pop() : '';
    const name = `${shortName(f.functionName || '(anonymous)')}${file.endsWith('.js') ? ' (js glue)' : ''}`;
    const kind = file.endsWith('.wasm')
      ? 'wasm (Rust: Leptos, the app)'
      : file.endsWith('.js')
        ? 'JS glue (wasm-bindgen)'
        : f.functionName.startsWith('(')
          ? f.functionName
          : 'browser DOM functions (setAttribute, insertBefore, …)';
    self.set(name, (self.get(name) ?? 0) + dt);
    where.set(kind, (where.get(kind) ?? 0) + dt);
    total += dt;
  });
  const sorted = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms }));
  return { total, where: sorted(where, 10), top: sorted(self, top) };
}

/**
 * Time by kind of work on the renderer's main thread within the window, from a timeline trace:
 * each event's own time (its duration less that of the events inside it), summed by name, and
 * how often style and layout were computed.
 */
export function mainThreadTimes(events, window) {
  if (!window) return { own: [], counts: {} };
  const list = events
    .filter((e) => e.pid === window.pid && e.tid === window.tid && e.ph === 'X' && e.dur)
    .filter((e) => e.ts < window.to && e.ts + e.dur > window.from)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const own = new Map();
  const counts = {};
  const stack = [];
  for (const e of list) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    // Only the part inside the window counts.
    const dur = (Math.min(e.ts + e.dur, window.to) - Math.max(e.ts, window.from)) / 1000;
    own.set(e.name, (own.get(e.name) ?? 0) + dur);
    if (parent) own.set(parent.name, own.get(parent.name) - dur);
    counts[e.name] = (counts[e.name] ?? 0) + 1;
    stack.push(e);
  }
  return {
    own: [...own]
      .filter(([, ms]) => ms >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms })),
    counts: { Layout: counts.Layout ?? 0, UpdateLayoutTree: counts.UpdateLayoutTree ?? 0, Paint: counts.Paint ?? 0 },
  };
}

/**
 * One recorded tap per screen, at full CPU speed (throttling would show up as time of its own),
 * or at BENCH_P4_PROFILE_RATE times slower (to see the first frame as the figure counts it).
 */
export async function profileScreens(page, cdp, url, list, log) {
  const out = {};
  const rate = Number(process.env.BENCH_P4_PROFILE_RATE ?? 1);
  for (const screen of list) {
    const rec = recorder(cdp);
    const r = await tap(page, cdp, url, screen, { trace: rec, rate });
    const { profile, events } = rec.result();
    // The whole recording, for a closer look in Chromium's performance panel.
    if (process.env.BENCH_P4_TRACE_DIR) {
      writeFileSync(join(process.env.BENCH_P4_TRACE_DIR, `p4-${screen.name}.trace.json`), JSON.stringify({ traceEvents: events }));
    }
    const window = tapWindow(events, r.painted);
    const main = mainThreadTimes(events, window);
    const cpu = selfTimes(profile, window);
    out[screen.name] = { painted: r.painted, dom: r.dom, mainThread: main, selfTime: cpu };
    log(
      `P4 profile of ${screen.path}, one more tap at ${rate === 1 ? "full CPU speed" : `${rate}× slower CPU`}, recorded: painted after ` +
        `${r.painted.toFixed(1)} ms, DOM complete after ${r.dom.toFixed(1)} ms; ` +
        `${main.counts.UpdateLayoutTree} style and ${main.counts.Layout} layout passes`,
    );
    log('  main thread, own time by kind of work:');
    for (const x of main.own.slice(0, 10)) log(`    ${x.ms.toFixed(1).padStart(7)} ms  ${x.name}`);
    log('  CPU profile, self time by where the code is:');
    for (const x of cpu.where) log(`    ${x.ms.toFixed(1).padStart(7)} ms  ${x.name}`);
    log('  CPU profile, self time by function:');
    for (const x of cpu.top) log(`    ${x.ms.toFixed(1).padStart(7)} ms  ${x.name}`);
  }
  return out;
}

export async function measureRendering(server, runs, log, { profile = false } = {}) {
  const browser = await launchProfile({ realTimers: true });
  try {
    const { context } = browser;
    await context.addInitScript(READY_PROBE);
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const seeded = await seed(page, server.url);
    log(
      `P4: the app took ${(seeded.content / 1000).toFixed(0)} KB of content from storage ` +
        `(top bar: "${seeded.topbar}")`,
    );

    const list = screens();
    const result = Object.fromEntries(list.map((s) => [s.name, { runs: [], again: [] }]));

    // One tap of each that is not counted: the first one after the install warms the browser's
    // caches (and V8's compiled code) as much for one screen as for the other.
    for (const screen of list) {
      const r = await tap(page, cdp, server.url, screen);
      result[screen.name].warmup = r;
      result[screen.name].screenshots = await screenshots(page, screen);
      log(`P4 warm-up ${screen.path} (not counted): painted ${r.painted.toFixed(0)} ms, ${r.shown} shown`);
    }

    // Alternating, the first screen swapped every other run. Each run: a fresh start on Vandaag,
    // then the tap (counted); then back to Vandaag in the same page and the tap again (shown
    // beside, not counted: the screen was already built once in this page).
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? list : [...list].reverse();
      for (const screen of order) {
        const first = await tap(page, cdp, server.url, screen);
        const again = await tap(page, cdp, server.url, screen, { fresh: false });
        for (const r of [first, again]) {
          if (r.shown !== screen.expected) throw new Error(`${screen.path} showed ${r.shown} of ${screen.expected}`);
        }
        result[screen.name].runs.push(first);
        result[screen.name].again.push(again);
      }
      log(
        `P4 run ${i + 1}/${runs}: ` +
          list
            .map((s) => {
              const r = result[s.name];
              return `${s.path} ${r.runs[i].painted.toFixed(0)} ms (again ${r.again[i].painted.toFixed(0)} ms)`;
            })
            .join(', '),
      );
    }

    if (profile) {
      const profiles = await profileScreens(page, cdp, server.url, list, log);
      for (const screen of list) result[screen.name].profile = profiles[screen.name];
    }
    return { screens: list, result };
  } finally {
    await browser.close();
  }
}
