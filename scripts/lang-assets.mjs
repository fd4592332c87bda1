#!/usr/bin/env node
// Writes the app's texts in each language but Dutch into a built app as assets, lang/<code>.json:
// the texts in the order of the fields of `Strings` (the keys sorted bytewise, as web/build.rs
// sorts them) and the id of that key list (FNV-1a, 64 bits, of each key followed by a newline,
// as build.rs computes TABLE_ID). The wasm carries only the Dutch table and loads one of these
// when a parent reads the app in another language (web/src/i18n.rs); it refuses a table whose
// id is not its own. scripts/precache.mjs calls this, so the worker precaches them.
//   node scripts/lang-assets.mjs DIR
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCALES = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

/** Every text of one language: the files of locales/<code>/ merged. */
function table(code) {
  const dir = join(LOCALES, code);
  const texts = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    Object.assign(texts, JSON.parse(readFileSync(join(dir, name), 'utf8')));
  }
  return texts;
}

/** FNV-1a (64 bits) of the keys, each followed by a newline, as 16 hex digits. */
export function tableId(keys) {
  let hash = 0xcbf29ce484222325n;
  for (const key of keys) {
    for (const byte of Buffer.from(`${key}\n`, 'utf8')) {
      hash ^= BigInt(byte);
      hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
    }
  }
  return hash.toString(16).padStart(16, '0');
}

/** Writes lang/<code>.json for every language but Dutch into `dir`; returns { code: bytes }. */
export function writeLangAssets(dir) {
  const keys = Object.keys(table('nl')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const id = tableId(keys);
  mkdirSync(join(dir, 'lang'), { recursive: true });
  const sizes = {};
  for (const code of readdirSync(LOCALES).filter((c) => c !== 'nl').sort()) {
    const texts = table(code);
    const missing = keys.filter((k) => typeof texts[k] !== 'string');
    if (missing.length) throw new Error(`locales/${code} lacks ${missing.join(', ')}`);
    const text = JSON.stringify({ id, texts: keys.map((k) => texts[k]) });
    writeFileSync(join(dir, 'lang', `${code}.json`), text);
    sizes[code] = Buffer.byteLength(text);
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('lang-assets: name the built folder.');
    process.exit(2);
  }
  console.log('lang-assets:', JSON.stringify(writeLangAssets(dir)));
}
