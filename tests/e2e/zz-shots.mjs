// throw-away: screenshots of the second-phone screens (lives in tests/e2e only for its imports)
import { launchProfile } from './browser.mjs';
import { startSyncServer, texts, waitForServiceWorker } from './server.mjs';
const nl = texts('nl');
const server = await startSyncServer();
const OUT = '/tmp/sp-shots';
async function shoot(page, name, locator) {
  for (const [tag, scheme, width, font] of [['light', 'light', 360, null], ['dark', 'dark', 360, null], ['320-200', 'light', 320, '200%']]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 740 });
    await page.evaluate((f) => { document.documentElement.style.fontSize = f ?? ''; }, font);
    if (locator) await locator.scrollIntoViewIfNeeded();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    console.log(name, tag, 'sideways scroll:', sideways);
    await page.screenshot({ path: `${OUT}/${name}-${tag}.png` });
  }
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  await page.setViewportSize({ width: 360, height: 740 });
}
const A = await launchProfile();
const a = await A.context.newPage();
await a.goto(server.url + server.joinPath);
await a.getByRole('button', { name: nl.welcome_start }).click();
await a.getByRole('button', { name: nl.welcome_skip }).click();
await a.getByRole('button', { name: nl.welcome_done }).click();
await a.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
await waitForServiceWorker(a);
await a.goto(server.url + '/instellingen');
await a.getByLabel(nl.settings_parents_label).fill('Sanne de Vries');
await a.getByRole('region', { name: nl.settings_parents }).getByRole('button', { name: nl.settings_save }).click();
await a.getByLabel(nl.child_name).fill('Noor');
await a.getByRole('button', { name: nl.child_add }).click();
await a.getByRole('button', { name: nl.sync_now }).click();
await a.getByText(nl.sync_all_sent).waitFor();
const section = a.getByRole('region', { name: nl.second_phone_title });
await shoot(a, 'settings-closed', section.getByRole('heading'));
await a.getByRole('button', { name: nl.second_phone_show }).click();
await a.getByRole('img', { name: nl.second_phone_qr_label }).waitFor();
await shoot(a, 'settings-qr', section.getByRole('heading'));
await shoot(a, 'settings-qr-bottom', section.getByRole('button', { name: nl.second_phone_copy }));
const link = await a.getByLabel(nl.second_phone_link_label, { exact: true }).inputValue();
const B = await launchProfile();
const b = await B.context.newPage();
await b.goto(link);
await b.getByRole('alertdialog').waitFor();
await shoot(b, 'join-question', null);
await b.getByRole('button', { name: nl.join_yes }).click();
await b.getByRole('status').filter({ hasText: nl.join_done }).waitFor();
await shoot(b, 'join-done', null);
// an answer from A shows on B as changed on the other phone
const content = await (await fetch(`${server.url}/api/v1/schools/${server.school}/content`, { headers: { authorization: `Bearer ${server.code}` } })).json();
const act = content.activities.find((x) => (x.rsvp_deadline ?? x.start) > '2026-11-24');
await a.goto(`${server.url}/activiteiten/${act.id}`);
await a.getByRole('radio', { name: nl.activities_answer_yes, exact: true }).check();
await a.getByRole('button', { name: nl.activities_save, exact: true }).click();
await a.getByText(nl.activities_state_sent).waitFor();
await b.goto(server.url + '/instellingen');
await b.getByRole('button', { name: nl.sync_now }).click();
await b.getByText(nl.sync_all_sent).waitFor();
await b.goto(`${server.url}/activiteiten/${act.id}`);
await b.getByText(nl.activities_state_other_phone).waitFor();
await shoot(b, 'activity-other-phone', b.getByText(nl.activities_state_other_phone));
await A.close(); await B.close(); await server.stop();
console.log('done');
