// The printed table: plain text, every figure beside its budget and verdict; a figure that could
// not be measured says n/a and why.

function table(rows, align) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (align[c] === 'r' ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => '  ' + line)
    .join('\n');
}

const ms = (v) => String(Math.round(v));
const range = (s, fmt, unit) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}] ${unit}`;

export function render(r, KB) {
  const kb = (bytes) => (bytes / KB).toFixed(1);
  const out = [];
  const m = r.machine;
  out.push(`Driehoek benchmark, ${r.date}`);
  out.push(`Machine: ${m.chromium}; Node ${m.node}; ${m.cores} cores (${m.cpu}); load ${m.load.join(' ')}`);
  const c = r.conditions;
  out.push(
    `Conditions: ${c.runs} runs per figure; ${c.network.latencyMs} ms round trip, ` +
      `${c.network.downBitsPerSecond / 1e6} Mbit/s down, ${c.network.upBitsPerSecond / 1e3} kbit/s up, ` +
      `CPU ${c.cpuSlowdown}× slower`,
  );
  out.push('');

  // P1
  out.push('P1 size of dist/ (KB = 1000 bytes; gzip -9 and brotli quality 11, node zlib)');
  if (r.p1.error) {
    out.push(`  n/a (${r.p1.error})`);
  } else {
    const rows = [['file', 'raw KB', 'gzip KB', 'brotli KB']];
    for (const f of r.p1.files) rows.push([f.path, kb(f.raw), kb(f.gzip), kb(f.brotli)]);
    rows.push(['all files', kb(r.p1.total.raw), kb(r.p1.total.gzip), kb(r.p1.total.brotli)]);
    out.push(table(rows, 'lrrr'));
    for (const w of r.p1.wasm) {
      out.push(`  ${w.path} by section:`);
      const sections = [['section', 'raw KB', 'gzip KB']];
      for (const [name, s] of Object.entries(w.sections).sort((a, b) => b[1].raw - a[1].raw)) {
        sections.push([name, kb(s.raw), kb(s.gzip)]);
      }
      out.push(table(sections, 'lrr').replace(/^/gm, '  '));
    }
    if (r.p1.twiggy) {
      out.push(`  the parents' wasm before wasm-opt, names kept: twiggy top 20 (${r.p1.twiggy.file})`);
      out.push(r.p1.twiggy.top.replace(/^/gm, '    ').trimEnd());
    }
    const fl = r.p1.firstLoad;
    out.push('');
    const names = fl.files.map((f) => f.path).join(' + ');
    const rows2 = [['figure', 'value', 'budget', 'verdict']];
    rows2.push([
      'first load, gzip',
      fl.gzip === null ? `n/a (${fl.reason})` : `${kb(fl.gzip)} KB`,
      `≤ ${fl.budgetKB} KB`,
      fl.verdict,
    ]);
    out.push(table(rows2, 'lrrl'));
    out.push(`    = ${names}`);
    if (fl.gzip !== null) out.push(`    (raw ${kb(fl.raw)} KB, brotli ${kb(fl.brotli)} KB)`);
  }
  out.push('');

  // P2
  out.push(`P2 cold load: new profile, no cache, no worker; median [min–max] of ${c.runs}, from navigation start`);
  if (r.p2.error) {
    out.push(`  n/a (${r.p2.error})`);
  } else {
    const p = r.p2;
    const cell = (s, fmt, unit) => (s.median === null ? `n/a (${s.reason})` : range(s, fmt, unit));
    const rows = [['figure', 'value', 'budget', 'verdict']];
    rows.push(['first contentful paint', cell(p.fcp, ms, 'ms'), '—', '']);
    rows.push(['largest contentful paint', cell(p.lcp, ms, 'ms'), `≤ ${p.lcp.budgetMs} ms`, p.lcp.verdict]);
    rows.push(['ready (the app has taken over: h1 + nav links)', cell(p.ready, ms, 'ms'), '—', '']);
    const three = (v) => v.toFixed(3);
    if (p.cls) rows.push(['cumulative layout shift (CLS)', cell(p.cls, three, ''), '≤ 0.1', p.cls.median === null ? 'n/a' : p.cls.median <= 0.1 ? 'PASS' : 'OVER']);
    if (p.tbt) rows.push(['total blocking time after FCP (TBT)', cell(p.tbt, ms, 'ms'), '≤ 200 ms', p.tbt.median === null ? 'n/a' : p.tbt.median <= 200 ? 'PASS' : 'OVER']);
    const encodings = [...new Set(p.runs.flatMap((x) => (x.responses ?? []).map((y) => y.encoding)))];
    rows.push([`transferred (as served: ${encodings.join(', ') || '?'})`, cell(p.transferred, kb, 'KB'), '—', '']);
    out.push(table(rows, 'lrrl'));
    const lcpOf = [...new Set(p.runs.map((x) => x.lcpElement).filter(Boolean))];
    if (lcpOf.length) out.push(`    largest contentful paint was: ${lcpOf.join('; ')}`);
    if (p.failed) out.push(`    ${p.failed} of ${p.runs.length} runs failed: ${p.runs.find((x) => x.error).error}`);
  }
  out.push('');

  // P3
  out.push(`P3 offline start under the service worker: median [min–max] of ${c.runs}, alternating`);
  if (r.p3.error) {
    out.push(`  n/a (${r.p3.error})`);
  } else {
    const p = r.p3;
    const rows = [['figure', 'value', 'budget', 'verdict']];
    rows.push(['app ready (returning parent, Vandaag)', range(p.app, ms, 'ms'), '—', '']);
    if (p.app.prompt) rows.push(['app: first question on Vandaag', range(p.app.prompt, ms, 'ms'), '—', '']);
    rows.push(['static copy of the first screen', range(p.static, ms, 'ms'), '—', '']);
    rows.push(['ratio of medians app / static', p.ratio === null ? 'n/a (no static time)' : p.ratio.toFixed(2), `≤ ${p.budget}`, p.verdict]);
    out.push(table(rows, 'lrrl'));
    const doc = (x) => (x.documentAt ? `${ms(x.documentAt.median)} ms` : 'n/a');
    out.push(`    document from the worker's cache after: app ${doc(p.app)}, static ${doc(p.static)} (medians)`);
    out.push(
      `    not counted, first start after the install: app ${ms(p.warmup.app.ready)} ms, static ${ms(p.warmup.static.ready)} ms`,
    );
    out.push(
      p.workersStoppedBeforeEachStart
        ? '    the service workers were stopped before every start (a cold worker, as after a while)'
        : '    the workers could not be stopped between runs: these are starts with a running worker',
    );
  }
  out.push('');

  // P4
  out.push(
    `P4 rendering after a tap in the bottom navigation, from Vandaag, CPU ${c.cpuSlowdown}× slower: ` +
      `median [min–max] of ${c.runs}, from the click to the first frame painted with the new screen and its first cards`,
  );
  if (r.p4.error) {
    out.push(`  n/a (${r.p4.error})`);
  } else {
    const p = r.p4;
    const what = {
      bulletins: `Maandinfo (${p.size.months} months × ${p.size.itemsPerMonth} items)`,
      activities: `Activiteiten (${p.size.activities} upcoming)`,
    };
    const cell = (s) => (s ? range(s, ms, 'ms') : 'n/a');
    const rows = [['figure', 'value', 'budget', 'verdict']];
    for (const s of p.screens) {
      rows.push([`${what[s.name] ?? s.path}, ${s.shown} on screen`, cell(s.painted), `≤ ${p.budgetMs} ms`, s.verdict]);
    }
    out.push(table(rows, 'lrrl'));
    for (const s of p.screens) {
      const et = s.eventTiming ? `${ms(s.eventTiming.median)} ms` : '< 16 ms or none';
      out.push(
        `    ${s.path}: whole list painted after ${cell(s.complete)}; DOM complete after ${cell(s.dom)}; Event Timing of the click ${et} (median); ` +
          `again in the same page ${cell(s.again)} (not counted)`,
      );
    }
    out.push('    each run is a fresh start of the app on Vandaag with the content in storage; a first tap of each');
    out.push('    screen after the install is not counted; "painted" = a task posted from the next frame\'s rAF has run');
  }
  out.push('');

  out.push(`P5 server: measured next by ${r.p5.measuredBy} (figures in ${r.p5.results})`);
  return out.join('\n') + '\n';
}
