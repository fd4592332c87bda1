#!/usr/bin/env node
// Writes the demo school's content into a built app as one asset, demo.json: an object with a
// member per file of core/data/demo/ (the file's name is the member's, as in the core's
// `Content`), so that a new file there is in the asset without a change here. The parents' app
// fetches it only when no school is connected (core/src/demo.rs); the service worker precaches
// it with every other file of the build (scripts/precache.mjs calls this first).
//   node scripts/demo-asset.mjs DIR
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'data', 'demo');

/** Writes `demo.json` into `dir`; returns its size in bytes. */
export function writeDemoAsset(dir) {
  const joined = {};
  for (const name of readdirSync(DEMO).filter((n) => n.endsWith('.json')).sort()) {
    joined[basename(name, '.json')] = JSON.parse(readFileSync(join(DEMO, name), 'utf8'));
  }
  const text = JSON.stringify(joined);
  writeFileSync(join(dir, 'demo.json'), text);
  return text.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('demo-asset: name the built folder.');
    process.exit(2);
  }
  console.log(`demo-asset: ${join(dir, 'demo.json')}, ${writeDemoAsset(dir)} bytes`);
}
