#!/usr/bin/env node
// Sums twiggy's rows (out/bench/twiggy-all.csv, written by scripts/bench.sh) by the crate that
// the item's name begins with, so that a size change can be put on a crate: what Leptos costs,
// what serde costs, what the app's own code costs. Shallow sizes, before wasm-opt.
//   node bench/crates.mjs [CSV] [N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tests/e2e/server.mjs';

const file = process.argv[2] ?? join(ROOT, 'out', 'bench', 'twiggy-all.csv');
const n = Number(process.argv[3] ?? 20);
const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
const byCrate = new Map();
let total = 0;
for (const line of lines) {
  // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent; the name may be quoted.
  const m = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  if (!m) continue;
  const name = m[1].replace(/^"|"$/g, '').replace(/""/g, '"');
  const size = Number(m[2]);
  total += size;
  let crate;
  if (name.includes('function names') || name.startsWith('data segment')) crate = name;
  else {
    // `<&mut serde_json::de::Deserializer<R> as …>`: the crate of the type the impl is for.
    let bare = name;
    for (let before = ''; before !== bare; ) {
      before = bare;
      bare = bare.replace(/^[<&*\s]+/, '').replace(/^(mut|dyn|const)\s+/, '');
    }
    crate = bare.match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? '(other)';
  }
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
}
const rows = [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, n);
for (const [crate, size] of rows) {
  console.log(`${(size / 1000).toFixed(1).padStart(8)} KB  ${((100 * size) / total).toFixed(1).padStart(5)} %  ${crate}`);
}
console.log(`${(total / 1000).toFixed(1).padStart(8)} KB  100.0 %  (all, ${lines.length} items)`);
