// P1: the size of every file of the build, and of what a first visit needs before anything is on
// screen. Compressed here with node's zlib at the strongest settings (gzip -9, brotli 11): what a
// server could send at best; the build writes these copies and the server sends them (P2).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BUDGETS, KB, verdict } from './common.mjs';

function walk(folder) {
  return readdirSync(folder)
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    })
    // The build's brotli and gzip copies are the same files, as the server sends them.
    .filter((path) => !/\.(br|gz)$/.test(path))
    .sort();
}

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

function attributes(tag) {
  const attrs = {};
  const re = /([^\s=<>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  // Skip the tag name itself.
  const body = tag.replace(/^<\s*[a-z]+/i, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(re)) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return attrs;
}

/** A same-site URL path of the page ("/a.js", "a.js", "./a.js") as a path in dist, or null. */
function local(href) {
  const url = new URL(href, 'http://app.invalid/');
  return url.origin === 'http://app.invalid' ? decodeURIComponent(url.pathname) : null;
}

/**
 * The files the browser must fetch before the first screen: index.html itself, its stylesheets,
 * its preloads and module preloads (Trunk names the JS glue and the .wasm there), and classic or
 * module scripts with a src. The manifest and icons are left out: they do not hold up the first
 * paint. As a check, paths quoted inside inline scripts (Trunk's loader imports the glue and names
 * the .wasm) are added too when they are files of the build, so a file fetched by the loader but
 * not preloaded is still counted.
 */
export function firstLoadFiles(html, existing) {
  const found = new Map([['/index.html', 'the page']]);
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const a = attributes(tag);
    const rels = (a.rel ?? '').toLowerCase().split(/\s+/);
    const why = rels.find((r) => ['stylesheet', 'modulepreload', 'preload'].includes(r));
    if (!why || !a.href) continue;
    const path = local(a.href);
    if (path) found.set(path, `<link rel=${why}${a.as ? ` as=${a.as}` : ''}>`);
  }
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const a = attributes(`<script${m[1]}>`);
    if (a.src) {
      const path = local(a.src);
      if (path) found.set(path, '<script src>');
    }
    for (const q of m[2].matchAll(/["'`]([^"'`\s]+\.[a-z0-9]+)["'`]/gi)) {
      const path = local(q[1]);
      if (path && existing.has(path) && !found.has(path)) found.set(path, 'named in an inline script');
    }
  }
  return found;
}

export function measureSize(dist) {
  const files = walk(dist).map((abs) => {
    const path = '/' + relative(dist, abs).split(sep).join('/');
    return { path, ...sizes(readFileSync(abs)) };
  });
  const byPath = new Map(files.map((f) => [f.path, f]));
  if (!byPath.has('/index.html')) throw new Error(`${dist} has no index.html`);

  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const wanted = firstLoadFiles(html, byPath);
  const missing = [...wanted.keys()].filter((p) => !byPath.has(p));
  const parts = [...wanted].map(([path, why]) => ({ path, why, ...(byPath.get(path) ?? {}) }));
  const sum = (key) => parts.reduce((total, p) => total + (p[key] ?? 0), 0);
  const firstLoad = missing.length
    ? {
        files: parts,
        gzip: null,
        reason: `index.html names files that are not in the build: ${missing.join(', ')}`,
      }
    : { files: parts, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
  firstLoad.budgetKB = BUDGETS.firstLoadGzipKB;
  firstLoad.verdict = verdict(firstLoad.gzip === null ? null : firstLoad.gzip / KB, BUDGETS.firstLoadGzipKB);

  const total = {
    raw: files.reduce((t, f) => t + f.raw, 0),
    gzip: files.reduce((t, f) => t + f.gzip, 0),
    brotli: files.reduce((t, f) => t + f.brotli, 0),
  };
  return { unit: 'KB = 1000 bytes', files, total, firstLoad, wasm: wasmSections(dist, files) };
}

/**
 * Where the bytes of the .wasm go, by section (code, data, …): without a name section (wasm-opt
 * strips it) this is the finest split available without twiggy.
 */
function wasmSections(dist, files) {
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export',
    'start', 'element', 'code', 'data', 'datacount'];
  return files
    .filter((f) => f.path.endsWith('.wasm'))
    .map((f) => {
      const bytes = readFileSync(join(dist, f.path));
      const sections = {};
      let at = 8;
      const leb = () => {
        let result = 0;
        let shift = 0;
        let byte;
        do {
          byte = bytes[at++];
          result += (byte & 0x7f) * 2 ** shift;
          shift += 7;
        } while (byte & 0x80);
        return result;
      };
      while (at < bytes.length) {
        const id = bytes[at++];
        const size = leb();
        let name = NAMES[id] ?? `id${id}`;
        if (id === 0) {
          const start = at;
          const len = leb();
          name = `custom:${bytes.subarray(at, at + len).toString('utf8')}`;
          at = start;
        }
        const section = bytes.subarray(at, at + size);
        sections[name] = {
          raw: size,
          gzip: gzipSync(section, { level: 9 }).length,
        };
        at += size;
      }
      return { path: f.path, sections };
    });
}
