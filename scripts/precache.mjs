#!/usr/bin/env node
// Writes the service worker into a built app folder: the precache list is every file actually in
// the folder (but the worker itself), and the cache version is a hash of their names and contents,
// so that any change to the build makes a new version and nothing is ever listed by hand.
//
// As Trunk's post_build hook it takes the folder from $TRUNK_STAGING_DIR; by hand:
//   node scripts/precache.mjs [DIR] [TEMPLATE]
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync, statSync, unlinkSync } from 'node:fs';
import { join, relative, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemoAsset } from './demo-asset.mjs';
import { writeLangAssets } from './lang-assets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
const template = process.argv[3] ?? join(root, 'public', 'sw.js');
if (!dir) {
  console.error('precache: name the built folder, or run as a Trunk hook (TRUNK_STAGING_DIR).');
  process.exit(2);
}
// The Beheer app (beheer.html) is built first, on its own; its files join the parents' app
// when that is built, below.
if ((process.env.TRUNK_HTML_FILE ?? '').endsWith('beheer.html')) {
  console.log('precache: the Beheer build is joined to the app by the app build');
  process.exit(0);
}
const beheerDist = process.env.DRIEHOEK_BEHEER_DIST;
if (beheerDist) {
  // Trunk names every page it builds index.html; the Beheer page is beheer.html in the app.
  if (!existsSync(join(beheerDist, 'index.html'))) {
    console.error(`precache: ${beheerDist} has no built page; build beheer.html first.`);
    process.exit(1);
  }
  for (const name of readdirSync(beheerDist)) {
    const to = name === 'index.html' ? 'beheer.html' : name;
    cpSync(join(beheerDist, name), join(dir, to), { recursive: true });
  }
}

// The demo school's content is an asset of the parents' app (fetched only without a school), so
// that it is precached like every other file but is not in the wasm.
console.log(`precache: demo.json written (${writeDemoAsset(dir)} bytes)`);
// Likewise the texts of every language but Dutch (the wasm carries only Dutch's).
console.log(`precache: lang/*.json written (${JSON.stringify(writeLangAssets(dir))})`);

function walk(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// The compressed copies written below (and by an earlier run) are the server's, not the app's.
const COMPRESSED = /\.(br|gz)$/;
for (const path of walk(dir).filter((p) => COMPRESSED.test(p))) unlinkSync(path);
const all = walk(dir)
  .map((path) => '/' + relative(dir, path).split(sep).join('/'))
  .filter((url) => url !== '/sw.js')
  .sort();
// The school's Beheer files are not the parents': a phone never downloads them. The worker
// keeps them only once they were used (see public/sw.js).
const isBeheer = (url) => /^\/beheer[-.]/.test(url);
const files = all.filter((url) => !isBeheer(url));
if (!files.includes('/index.html')) {
  console.error(`precache: ${dir} has no index.html; is this a built app?`);
  process.exit(1);
}

const hash = createHash('sha256');
for (const url of files) {
  hash.update(url).update('\0').update(readFileSync(join(dir, url))).update('\0');
}
const version = hash.digest('hex').slice(0, 16);

const source = readFileSync(template, 'utf8');
if (!source.includes('__DRIEHOEK_VERSION__') || !source.includes("['__DRIEHOEK_PRECACHE__']")) {
  console.error(`precache: ${template} lacks the placeholders to fill in.`);
  process.exit(1);
}
const worker = source
  .replace('__DRIEHOEK_VERSION__', version)
  .replace("['__DRIEHOEK_PRECACHE__']", JSON.stringify(files, null, 2));
writeFileSync(join(dir, 'sw.js'), worker);
console.log(`precache: sw.js version ${version}, ${files.length} files`);

// Brotli (quality 11) and gzip (level 9) copies of every text file and the wasm, made once here
// instead of on every request at the server's faster, weaker level: a phone on a slow network
// fetches the smallest file. The server sends them where the browser accepts them.
const TEXT = /\.(wasm|js|css|html|webmanifest|svg|json)$/;
let saved = 0;
for (const url of [...all, '/sw.js'].filter((u) => TEXT.test(u))) {
  const raw = readFileSync(join(dir, url));
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  writeFileSync(join(dir, url + '.br'), br);
  writeFileSync(join(dir, url + '.gz'), gzipSync(raw, { level: 9 }));
  saved += raw.length - br.length;
}
console.log(`precache: brotli and gzip copies written (brotli saves ${(saved / 1000).toFixed(0)} KB)`);
