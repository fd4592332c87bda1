// Starts the real driehoek-server on 127.0.0.1 with a private copy of the built app, so that a
// test can stop it (offline) or change what is deployed (a new version) without touching dist/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOMENT } from './clock.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = process.env.DRIEHOEK_DIST ?? join(ROOT, 'dist');
const SERVER = process.env.DRIEHOEK_SERVER;

/** The app's own texts, as the parent sees them (locales/<lang>/*.json, merged). */
export function texts(lang = 'nl') {
  const dir = join(ROOT, 'locales', lang);
  return Object.assign(
    {},
    ...readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8'))),
  );
}

/** The five screens of the navigation: route and the text keys of label and heading. */
export const SCREENS = [
  { path: '/', nav: 'nav_today', title: 'today_title', name: 'vandaag' },
  { path: '/afspraken', nav: 'nav_agreements', title: 'agreements_title', name: 'afspraken' },
  { path: '/maandinfo', nav: 'nav_bulletins', title: 'bulletins_title', name: 'maandinfo' },
  { path: '/activiteiten', nav: 'nav_activities', title: 'activities_title', name: 'activiteiten' },
  { path: '/instellingen', nav: 'nav_settings', title: 'settings_title', name: 'instellingen' },
];

/** Copies the built app to a new folder (the "deployment") and serves it. */
export async function startServer() {
  if (!SERVER) throw new Error('DRIEHOEK_SERVER is not set: run the tests through scripts/test.sh');
  const site = mkdtempSync(join(tmpdir(), 'driehoek-site-'));
  cpSync(DIST, site, { recursive: true });
  const server = await serve(site);
  return {
    ...server,
    site,
    async stop() {
      await server.stop();
      rmSync(site, { recursive: true, force: true });
    },
  };
}

// Every browser of the tests comes from 127.0.0.1, and some tests give a wrong code on purpose:
// the limit on failed logins per address is tested natively (server/tests/trust.rs), not here.
const LOGINS = ['--login-burst', '1000'];

function serve(site) {
  return new Promise((resolve, reject) => {
    const child = spawn(SERVER, ['serve', '--addr', '127.0.0.1:0', '--dist', site, '--clock', MOMENT, ...LOGINS], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    child.stdout.on('data', (chunk) => {
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(String(chunk));
      if (!match) return;
      const url = `http://127.0.0.1:${match[1]}`;
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.on('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * Starts the server with the demo school on its own SQLite file, as the README's run command
 * does. Gives the join link's parts, the school's admin token, and ways to kill the server
 * (SIGKILL, as a power cut), start it again on the same port and file, and give the school a new
 * access code.
 */
export async function startSyncServer() {
  if (!SERVER) throw new Error('DRIEHOEK_SERVER is not set: run the tests through scripts/test.sh');
  const site = mkdtempSync(join(tmpdir(), 'driehoek-site-'));
  cpSync(DIST, site, { recursive: true });
  const db = join(site, 'school.sqlite3');
  let addr = '127.0.0.1:0';
  let running;
  const start = async () => {
    // The server's clock starts at the tests' moment, as the browser's does (clock.mjs).
    running = await spawnServer([
      'serve', '--addr', addr, '--dist', site, '--db', db, '--demo', '--clock', MOMENT, ...LOGINS,
    ]);
    addr = new URL(running.url).host;
  };
  await start();
  const join_ = new URL(running.join);
  const sync = {
    /** The school's published content and its ETag, read with `token` (the school's admin
     * token; a parent's phone reads the same with the access code). */
    async published(token = sync.admin) {
      const response = await fetch(`${sync.url}/api/v1/schools/${sync.school}/content`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200);
      return { content: await response.json(), etag: response.headers.get('etag') };
    },
    /** Publishes `content` as the school does, over the version `etag`. */
    async publish(content, etag) {
      const put = await fetch(`${sync.url}/api/v1/schools/${sync.school}/content`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${sync.admin}`,
          'content-type': 'application/json',
          'if-match': etag,
        },
        body: JSON.stringify(content),
      });
      assert.equal(put.status, 200, await put.text());
    },
    url: running.url,
    joinPath: join_.pathname + join_.search,
    school: join_.searchParams.get('school'),
    code: join_.searchParams.get('code'),
    admin: running.admin,
    /** Kills the server at once, as a power cut would. */
    kill: () => running.stop('SIGKILL'),
    /** Starts it again on the same port and database. */
    restart: start,
    /** A new access code for the school (the old one stops working); returns it. */
    newCode() {
      const out = execFileSync(SERVER, ['school', 'new-code', sync.school, '--db', db], {
        encoding: 'utf8',
      });
      const match = /toegangscode[^:]*:\s*(\S+)/.exec(out);
      if (!match) throw new Error(`no code in: ${out}`);
      // From now on, the school's letter carries the new code.
      sync.code = match[1];
      sync.joinPath = `/?school=${sync.school}&code=${sync.code}`;
      return match[1];
    },
    async stop() {
      await running.stop('SIGTERM');
      rmSync(site, { recursive: true, force: true });
    },
  };
  return sync;
}

/** Spawns the server with `args`; resolves with its address, join link and admin token. */
function spawnServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(SERVER, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = /Driehoek draait op (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      const join = /Demoschool: (\S+)/.exec(stdout);
      const admin = /beheercode[^:]*:\s*(\S+)/.exec(stdout);
      if (!url || !join || !admin) return;
      child.removeAllListeners('exit');
      resolve({
        url: url[1],
        join: join[1],
        admin: admin[1],
        stop: (signal) =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.on('exit', () => done());
            child.kill(signal);
          }),
      });
    });
  });
}

/**
 * Collects what would make a parent's page fail: uncaught errors and console errors, and any
 * request to another origin than `origin`.
 */
export function watchPage(context, origin) {
  const problems = [];
  const foreign = [];
  const watch = (page) => {
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) foreign.push(request.url());
  });
  return { problems, foreign };
}

/** Waits until a service worker controls the page, so that the app works offline. */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}

/** On a first visit the app welcomes the parent: go through it without children, and with the
 * demo school unless the app was opened with a school's link (then the school step is left out). */
export async function finishWelcome(page) {
  const t = texts('nl');
  // Wait until the app has drawn its first screen, whichever it is, before looking.
  await page.getByRole('heading', { level: 1 }).waitFor();
  const start = page.getByRole('button', { name: t.welcome_start });
  if ((await start.count()) === 0) return;
  await start.click();
  await page.getByRole('button', { name: t.welcome_next }).click();
  const today = page.getByRole('heading', { level: 1, name: t.today_title });
  const done = page.getByRole('button', { name: t.welcome_done });
  await today.or(done).waitFor();
  if (await done.isVisible()) await done.click();
  await today.waitFor();
}
