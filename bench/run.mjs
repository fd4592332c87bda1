#!/usr/bin/env node
// Driehoek's benchmark (issue 7): size of the build (P1), a cold first visit on a slow phone
// (P2), the offline start against a static page (P3), and rendering a big school's Maandinfo and
// Activiteiten after a tap (P4). Prints a table and writes the same figures to
// out/bench/results.json. Not part of the tests: figures over budget are reported, not failed
// (set BENCH_STRICT=1 to exit with 1 when one is OVER).
//
//   DRIEHOEK_SERVER=…/driehoek-server [DRIEHOEK_DIST=dist] [BENCH_RUNS=5] node bench/run.mjs
//   BENCH_ONLY=p4       measure only these parts (comma-separated: p1,p2,p3,p4)
//   BENCH_P4_PROFILE=1  after P4's runs, one more tap per screen with a CPU profile and a trace
// scripts/bench.sh builds the release app and server first and runs this.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { CHROMIUM } from '../tests/e2e/browser.mjs';
import { ROOT, startServer } from '../tests/e2e/server.mjs';
import { measureColdLoad } from './cold.mjs';
import { BUDGETS, CPU_SLOWDOWN, KB, NETWORK, reason, runCount, summary, verdict } from './common.mjs';
import { measureOfflineStart } from './offline.mjs';
import { measureRendering, RENDER_BUDGET_MS, SIZE } from './render.mjs';
import { render } from './report.mjs';
import { measureSize } from './size.mjs';

const DIST = process.env.DRIEHOEK_DIST ?? join(ROOT, 'dist');
const OUT = join(ROOT, 'out', 'bench');
// Progress goes to stderr, so that stdout is only the table.
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function chromiumVersion() {
  try {
    // Debian's wrapper script prints a shell warning on stderr; only stdout is the version.
    return execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch (err) {
    return `n/a (${reason(err)})`;
  }
}

const runs = runCount();
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
const unknown = ONLY.filter((p) => !['p1', 'p2', 'p3', 'p4'].includes(p));
if (unknown.length) throw new Error(`BENCH_ONLY names no such part: ${unknown.join(', ')}`);
/** Whether part `p` is measured in this run. */
const wanted = (p) => ONLY.length === 0 || ONLY.includes(p);
const skipped = { error: `skipped (BENCH_ONLY=${ONLY.join(',')})` };
const results = {
  date: new Date().toISOString(),
  machine: {
    chromium: chromiumVersion(),
    node: process.version,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    load: os.loadavg().map((l) => Number(l.toFixed(2))),
  },
  conditions: {
    runs,
    network: { latencyMs: NETWORK.latency, downBitsPerSecond: NETWORK.downloadThroughput * 8, upBitsPerSecond: NETWORK.uploadThroughput * 8 },
    cpuSlowdown: CPU_SLOWDOWN,
    dist: DIST,
    server: process.env.DRIEHOEK_SERVER ?? null,
  },
  budgets: { ...BUDGETS, renderMs: RENDER_BUDGET_MS },
};

// P1
try {
  results.p1 = wanted('p1') ? measureSize(DIST) : skipped;
  // scripts/bench.sh writes twiggy's top 20 of the parents' wasm (names kept, before wasm-opt).
  const twiggy = process.env.BENCH_TWIGGY;
  if (wanted('p1') && twiggy && existsSync(twiggy)) {
    results.p1.twiggy = { file: relative(ROOT, twiggy), top: readFileSync(twiggy, 'utf8') };
  }
} catch (err) {
  results.p1 = { error: reason(err) };
}

// P2
try {
  if (!wanted('p2')) throw new Error(skipped.error);
  if (!process.env.DRIEHOEK_SERVER) throw new Error('DRIEHOEK_SERVER is not set');
  const server = await startServer();
  let raw;
  try {
    raw = await measureColdLoad(server, runs, log);
  } finally {
    await server.stop();
  }
  const ok = raw.filter((r) => !r.error);
  const errors = raw.filter((r) => r.error).map((r) => r.error);
  const figure = (key, why) => {
    const s = summary(ok.map((r) => r[key]).filter((v) => v !== null));
    return s ?? { median: null, reason: errors[0] ?? why };
  };
  results.p2 = {
    runs: raw,
    failed: errors.length,
    fcp: figure('fcp', 'the page recorded no first-contentful-paint'),
    lcp: figure('lcp', 'the page recorded no largest-contentful-paint'),
    ready: figure('ready', 'never ready'),
    cls: figure('cls', 'no layout-shift entries could be observed'),
    tbt: figure('tbt', 'no longtask entries could be observed'),
    transferred: figure('transferred', 'no response seen'),
  };
  results.p2.lcp.budgetMs = BUDGETS.lcpMs;
  results.p2.lcp.verdict = verdict(results.p2.lcp.median, BUDGETS.lcpMs);
} catch (err) {
  results.p2 = { error: reason(err) };
}

// P3
try {
  if (!wanted('p3')) throw new Error(skipped.error);
  if (!process.env.DRIEHOEK_SERVER) throw new Error('DRIEHOEK_SERVER is not set');
  const raw = await measureOfflineStart(runs, log);
  const side = (list) => ({
    ...summary(list.map((r) => r.ready)),
    // Until the worker had answered with the document: the part both sides share.
    documentAt: summary(list.map((r) => r.documentAt)),
    runs: list,
  });
  const app = side(raw.app);
  const plain = side(raw.static);
  // The returning parent's question of the day on Vandaag (the demo school's, from its asset).
  app.prompt = summary(raw.app.map((r) => r.prompt));
  plain.prompt = summary(raw.static.map((r) => r.prompt));
  const ratio = Number.isFinite(app.median) && plain.median > 0 ? app.median / plain.median : null;
  results.p3 = {
    app,
    static: plain,
    warmup: raw.warmup,
    workersStoppedBeforeEachStart: raw.workersStopped,
    ratio,
    budget: BUDGETS.offlineRatio,
    verdict: verdict(ratio, BUDGETS.offlineRatio),
  };
} catch (err) {
  results.p3 = { error: reason(err) };
}

// P4
try {
  if (!wanted('p4')) throw new Error(skipped.error);
  if (!process.env.DRIEHOEK_SERVER) throw new Error('DRIEHOEK_SERVER is not set');
  const server = await startServer();
  let raw;
  try {
    raw = await measureRendering(server, runs, log, { profile: process.env.BENCH_P4_PROFILE === '1' });
  } finally {
    await server.stop();
  }
  const figure = (list, key) => summary(list.map((r) => r[key]));
  results.p4 = {
    size: SIZE,
    budgetMs: RENDER_BUDGET_MS,
    screens: raw.screens.map((s) => {
      const r = raw.result[s.name];
      const painted = figure(r.runs, 'painted');
      return {
        name: s.name,
        path: s.path,
        shown: s.expected,
        painted,
        verdict: verdict(painted?.median ?? null, RENDER_BUDGET_MS),
        complete: figure(r.runs, 'complete'),
        dom: figure(r.runs, 'dom'),
        again: figure(r.again, 'painted'),
        eventTiming: summary(r.runs.map((x) => x.eventTiming?.duration ?? NaN)),
        runs: r.runs,
        againRuns: r.again,
        warmup: r.warmup,
        screenshots: r.screenshots,
        profile: r.profile,
      };
    }),
  };
} catch (err) {
  results.p4 = { error: reason(err) };
}

results.p5 = { measuredBy: 'scripts/bench-server.sh', results: 'out/bench/server.json' };

const table = render(results, KB);
process.stdout.write(table);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
log(`wrote ${join(OUT, 'results.json')}`);

const verdicts = [
  results.p1?.firstLoad?.verdict,
  results.p2?.lcp?.verdict,
  results.p3?.verdict,
  ...(results.p4?.screens ?? []).map((s) => s.verdict),
];
if (process.env.BENCH_STRICT === '1' && verdicts.includes('OVER')) process.exit(1);
