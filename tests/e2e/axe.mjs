// axe-core (from node_modules, never a CDN) on a page, for the accessibility checks of every suite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * The WCAG 2.1 A and AA violations axe finds on the page, one line each. axe is evaluated
 * through the DevTools protocol, not added as a script tag: the app's Content-Security-Policy
 * rightly refuses inline scripts, and a test must not weaken it to look.
 */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  );
  return result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}
