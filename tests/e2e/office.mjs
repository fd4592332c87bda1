// The school's office in Beheer, for the browser tests: a browser of its own, the login, and
// the message a form field shows.
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { watchPage } from './server.mjs';

/** A browser for the school's office at `server`; `fn` gets a page and the context. No error
 * may show in the page, and no request may go to another origin. */
export async function withOffice(server, fn, options = {}) {
  const browser = await launchProfile(options);
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await fn(page, browser.context);
    assert.deepEqual(watched.problems, [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** Logs in on the Beheer screen of `server` with the school's admin token. */
export async function logIn(page, server) {
  await page.goto(`${server.url}/beheer?school=${server.school}`);
  await page.getByLabel('Beheercode').fill(server.admin);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { name: 'Wat wilt u schrijven?' }).waitFor();
}

/** The error text tied to a form control (its aria-describedby). */
export async function fieldMessage(control) {
  const ids = (await control.getAttribute('aria-describedby')).split(' ');
  const page = control.page();
  const found = await Promise.all(ids.map((id) => page.locator(`#${id}`).innerText()));
  return found.join(' ').trim();
}
