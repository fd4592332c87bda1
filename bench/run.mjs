#!/usr/bin/env node
// Driehoek's benchmark (issue 7): size of the build (P1), a cold first visit on a slow phone
// (P2), and the offline start against a static page (P3). Prints a table and writes the same
// figures to out/bench/results.json. Not part of the tests: figures over budget are reported,
// not failed (set BENCH_STRICT=1 to exit with 1 when one is OVER).
//
//   DRIEHOEK_SERVER=…/driehoek-server [DRIEHOEK_DIST=dist] [BENCH_RUNS=5] node bench/run.mjs
// scripts/bench.sh builds the release app and server first and runs this.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from '../tests/e2e/browser.mjs';
import { ROOT, startServer } from '../tests/e2e/server.mjs';
import { measureColdLoad } from './cold.mjs';
import { BUDGETS, CPU_SLOWDOWN, KB, NETWORK, reason, runCount, summary, verdict } from './common.mjs';
import { measureOfflineStart } from './offline.mjs';
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
  budgets: BUDGETS,
};

// P1
try {
  results.p1 = measureSize(DIST);
} catch (err) {
  results.p1 = { error: reason(err) };
}

// P2
try {
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
    transferred: figure('transferred', 'no response seen'),
  };
  results.p2.lcp.budgetMs = BUDGETS.lcpMs;
  results.p2.lcp.verdict = verdict(results.p2.lcp.median, BUDGETS.lcpMs);
} catch (err) {
  results.p2 = { error: reason(err) };
}

// P3
try {
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

results.p4 = { status: 'not yet measured', needs: 'the screens with content (issue 7, rendering part)' };
results.p5 = { status: 'not yet measured', needs: 'the sync endpoint of driehoek-server (/api/v1)' };

const table = render(results, KB);
process.stdout.write(table);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
log(`wrote ${join(OUT, 'results.json')}`);

const verdicts = [results.p1?.firstLoad?.verdict, results.p2?.lcp?.verdict, results.p3?.verdict];
if (process.env.BENCH_STRICT === '1' && verdicts.includes('OVER')) process.exit(1);
