#!/usr/bin/env node
// Renders the app's icons from their SVG sources into the PNG sizes the manifest and iOS ask for,
// with Debian's Chromium. Run after changing an SVG: node scripts/icons.mjs
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'icons');
const any = join(root, 'public', 'icons', 'icon.svg');
const maskable = join(root, 'assets', 'icon-maskable.svg');

const jobs = [
  // "any" icons keep their rounded corners: transparent outside.
  { svg: any, size: 192, file: 'icon-192.png', transparent: true },
  { svg: any, size: 512, file: 'icon-512.png', transparent: true },
  // Maskable and iOS icons fill the square; the system cuts its own shape.
  { svg: maskable, size: 192, file: 'maskable-192.png', transparent: false },
  { svg: maskable, size: 512, file: 'maskable-512.png', transparent: false },
  { svg: maskable, size: 180, file: 'apple-touch-icon.png', transparent: false },
];

const browser = await launch();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const job of jobs) {
    const data = readFileSync(job.svg).toString('base64');
    await page.setViewportSize({ width: job.size, height: job.size });
    await page.setContent(
      `<!DOCTYPE html><html><body style="margin:0;background:transparent">` +
        `<img src="data:image/svg+xml;base64,${data}" width="${job.size}" height="${job.size}" ` +
        `style="display:block"></body></html>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: join(out, job.file), omitBackground: job.transparent });
    console.log(`icons: ${job.file} (${job.size}x${job.size})`);
  }
} finally {
  await browser.close();
}
