// Starting Debian's Chromium through playwright-core, the same way for every script and test.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOMENT_MS } from './clock.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// As root, without a sandbox; without background networking, so that Chromium makes no request
// of its own to any other host (this machine's network is closed, and the app must not need it).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--metrics-recording-only',
];

/**
 * Runs in the page before its scripts: `Date` (the app's only clock, web/src/clock.rs) runs
 * `shift` milliseconds from the real time; timers, frames and `performance` stay the browser's.
 */
function shiftDate(shift) {
  const Real = Date;
  class Shifted extends Real {
    constructor(...args) {
      if (args.length === 0) super(Real.now() + shift);
      else super(...args);
    }
    static now() {
      return Real.now() + shift;
    }
  }
  globalThis.Date = Shifted;
}

/** A headless browser without a profile, for rendering. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A browser with a real, new profile in a temporary folder: service workers, storage and
 * installability behave as on a phone (an incognito context always reports `in-incognito`). Its
 * clock starts at the tests' moment (clock.mjs) and runs on from there, as the server's does.
 * Returns the context and a function that closes it and removes the profile.
 *
 * `realTimers: true` (the benchmarks) moves only `Date` to the moment. Playwright's clock also
 * replaces `performance.now()` (counting from its install, across reloads), event time stamps
 * and `requestAnimationFrame` (a timer, not the browser's frames), which is right for a test of
 * behaviour but would make every timing a benchmark takes false.
 */
export async function launchProfile(options = {}) {
  const { realTimers = false, ...contextOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'driehoek-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    locale: 'nl-NL',
    ...contextOptions,
  });
  if (realTimers) {
    await context.addInitScript(shiftDate, MOMENT_MS - Date.now());
  } else {
    await context.clock.install({ time: MOMENT_MS });
  }
  const close = async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { context, close };
}
