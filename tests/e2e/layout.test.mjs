// Every parent screen on the narrowest phone (320 px) with the text at 200 %: nothing sticks out
// sideways, no control is cut off, no word breaks in the middle across two lines, the navigation
// keeps its names and the bars leave room to read; axe finds nothing, in light and in dark. And
// after the school's time for today's absence reports, Vandaag shows one line instead of the box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations } from './axe.mjs';
import { launchProfile } from './browser.mjs';
import { MOMENT_MS } from './clock.mjs';
import { startSyncServer, texts, watchPage } from './server.mjs';

const nl = texts('nl');
const HOUR = 3_600_000;
const NARROW = { width: 320, height: 740 };

let server;
before(async () => {
  server = await startSyncServer();
});
after(async () => {
  await server?.stop();
});

/** The parent's text size of 200 %, as the other suites set it (the root's font size). */
async function bigText(page) {
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
    // Cards far from the screen are laid out only when they come near (content-visibility):
    // lay them all out, so that every one is measured.
    for (const el of document.querySelectorAll('main *')) {
      if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
    }
  });
  // Two frames, so that layout and the container queries have caught up.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * What is wrong with the layout of the page as it is drawn now, one line each: sideways scroll,
 * a control outside the screen or cut off, a word split over two lines, a navigation label not
 * shown, bars that take too much of the screen.
 */
function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth > root.clientWidth) {
      // Name the innermost boxes that stick out, to say where to look.
      const out = [...document.body.querySelectorAll('*')].filter(
        (el) =>
          el.getBoundingClientRect().right > width + 0.5 &&
          el.children.length === 0 &&
          !el.closest('.visually-hidden'),
      );
      const names = out
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()} in .${el.parentElement.className} "${el.textContent.slice(0, 30)}"`);
      problems.push(`sideways scroll: scrollWidth ${root.scrollWidth} > ${root.clientWidth} (${names.join(', ')})`);
    }
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      // Visually hidden on purpose (a 1 px box, like the file input behind its label).
      return r.width > 1 && r.height > 1 && el.checkVisibility({ visibilityProperty: true });
    };
    const describe = (el) =>
      `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;

    // (2) Controls inside the screen and not cut off by an ancestor that hides its overflow.
    for (const el of document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, summary')) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > width + 0.5) {
        problems.push(`${describe(el)} outside the screen (${Math.round(r.left)}..${Math.round(r.right)})`);
        continue;
      }
      for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const box = a.getBoundingClientRect();
        const left = box.left + a.clientLeft;
        const right = left + a.clientWidth;
        if (r.left < left - 0.5 || r.right > right + 0.5) {
          problems.push(`${describe(el)} cut off by ${a.tagName.toLowerCase()}.${a.className}`);
          break;
        }
      }
      // Its own text cut off (overflow hidden, an ellipsis); a field scrolls its own value.
      if (el.matches('input, select, textarea')) continue;
      for (const inner of [el, ...el.querySelectorAll('*')]) {
        const style = getComputedStyle(inner);
        if (style.overflowX !== 'visible' && inner.scrollWidth > inner.clientWidth + 1 && shown(inner)) {
          problems.push(`${describe(el)}: its text is cut off`);
          break;
        }
      }
    }

    // (3) No word split over two lines. Words are what lies between spaces, hyphens and
    // slashes (a line may break after a hyphen or a slash; that is not a split). A word wider
    // than the whole line it stands in (a long compound, an e-mail address) may only break
    // where the text is hyphenated (`hyphens: auto`, which gives the hyphen where the
    // language has one). The line a word could have is that of the nearest block that is not
    // squeezed beside others (a flex or grid item, a button in a row of buttons, is measured by
    // the row it stands in).
    const lineWidth = (el) => {
      let block = el;
      const squeezed = (b) =>
        !['block', 'list-item', 'flow-root'].includes(getComputedStyle(b).display) ||
        /flex|grid/.test(getComputedStyle(b.parentElement).display);
      while (block.parentElement && block !== document.body && squeezed(block)) {
        block = block.parentElement;
      }
      const style = getComputedStyle(block);
      return block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !shown(parent) || parent.closest('script, style, .visually-hidden')) continue;
      for (const match of node.data.matchAll(/[^\s\-‐–—/\u00ad\u200b]+/g)) {
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
        // Pieces more than half a letter's height apart in the vertical lie on different lines.
        const halfLetter = parseFloat(getComputedStyle(parent).fontSize) * 0.5;
        const tops = rects.map((rect) => rect.top);
        if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > halfLetter) {
          const wordWidth = rects.reduce((sum, rect) => sum + rect.width, 0);
          const line = lineWidth(parent);
          if (wordWidth > line + 0.5 && getComputedStyle(parent).hyphens === 'auto') continue;
          problems.push(
            `the word "${match[0]}" is split over two lines (in ${parent.tagName.toLowerCase()}.${parent.className}, ` +
              `${Math.round(wordWidth)} px in a line of ${Math.round(line)} px)`,
          );
        }
      }
    }

    // (4) The navigation shows the name of each screen, whole.
    for (const label of document.querySelectorAll('.bottom-nav__label')) {
      const r = label.getBoundingClientRect();
      const style = getComputedStyle(label);
      if (r.width <= 1 || r.height <= 1 || style.clip !== 'auto' || style.visibility !== 'visible') {
        problems.push(`the navigation label "${label.textContent}" is not shown`);
      } else if (label.scrollWidth > label.clientWidth + 1) {
        problems.push(`the navigation label "${label.textContent}" is cut off`);
      }
    }

    // (5) The bars that stay on screen while reading leave most of it to read.
    let covered = 0;
    for (const bar of document.querySelectorAll('.topbar, .bottom-nav')) {
      const position = getComputedStyle(bar).position;
      if (position === 'sticky' || position === 'fixed') covered += bar.getBoundingClientRect().height;
    }
    if (covered > innerHeight * 0.3) {
      problems.push(`the bars that stay on screen cover ${Math.round(covered)} of ${innerHeight} px`);
    }
    return problems;
  });
}

/** The checks of one screen as it is drawn now, with axe; `name` says which in a failure. */
async function checkScreen(page, name, problems) {
  await bigText(page);
  for (const problem of await layoutProblems(page)) problems.push(`${name}: ${problem}`);
  for (const violation of await axeViolations(page)) problems.push(`${name}: axe: ${violation}`);
}

/** Opens `path` with a full load and waits for its main heading. */
async function open(page, path, heading) {
  await page.goto(server.url + path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** A phone opened with the school's link, with Noor (groep 5) and Daan (groep 1), past the
 * welcome; `fn` gets the page and the context. */
async function withFamily(fn, options = {}) {
  const browser = await launchProfile({ viewport: NARROW, ...options });
  try {
    const watched = watchPage(browser.context, server.url);
    const page = await browser.context.newPage();
    await page.goto(server.url + server.joinPath);
    await page.getByRole('button', { name: nl.welcome_start }).click();
    for (const [name, groep] of [['Noor', '5'], ['Daan', '1']]) {
      await page.getByLabel(nl.child_name).fill(name);
      await page.getByLabel(nl.child_groep).selectOption(groep);
      await page.getByRole('button', { name: nl.child_add }).click();
      await page.getByText(nl.child_added.replace('{name}', name)).waitFor();
    }
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await fn(page, browser.context);
    assert.deepEqual(watched.problems.filter((p) => !/Failed to load resource/.test(p)), [], 'no error in the page');
    assert.deepEqual(watched.foreign, [], 'no request to another origin');
  } finally {
    await browser.close();
  }
}

/** Every parent screen, drawn at 200 % text; returns the problems found. */
async function everyScreen(page, context, scheme) {
  const problems = [];
  const check = (name) => checkScreen(page, `${name} (${scheme})`, problems);

  await open(page, '/', nl.today_title);
  await check('Vandaag');

  await open(page, '/afspraken', nl.agreements_title);
  // The names of the parents and "Bevestigen" are on the screen.
  await page.getByRole('button', { name: nl.ack_submit }).waitFor();
  await check('Afspraken');

  await open(page, '/maandinfo', nl.bulletins_title);
  await check('Maandinfo');
  await page.getByRole('button', { name: nl.bulletins_agenda, exact: true }).click();
  await page.locator('[aria-pressed="true"]').filter({ hasText: nl.bulletins_agenda }).waitFor();
  await check('Maandinfo, Agenda');
  await page.getByRole('button', { name: nl.bulletins_agenda, exact: true }).click();

  await open(page, '/activiteiten', nl.activities_title);
  await check('Activiteiten');
  const first = page.locator('main a[href^="/activiteiten/"]').first();
  const href = await first.getAttribute('href');
  await page.goto(server.url + href);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await check(`Activiteit ${href}`);

  // Gesprekken: the rounds, and one round with both children's times and the box for brothers
  // and sisters.
  await open(page, '/gesprekken', nl.talks_title);
  await check('Gesprekken');
  await page.locator('main a[href^="/gesprekken/"]').first().click();
  await page.getByRole('heading', { level: 2, name: nl.talks_siblings_title }).waitFor();
  await check('Gesprekken, een ronde');

  await open(page, '/instellingen', nl.settings_title);
  await page.getByRole('button', { name: nl.sync_now }).waitFor();
  await check('Instellingen');

  await open(page, '/afwezig', nl.absence_title);
  await check('Afwezig melden');

  // Before the school's time for today: the form for today, and the box on Vandaag.
  await context.clock.setSystemTime(MOMENT_MS - 3 * HOUR);
  await open(page, '/', nl.today_title);
  await check('Vandaag, 07:00');
  await open(page, '/afwezig', nl.absence_title);
  await check('Afwezig melden, 07:00');
  await context.clock.setSystemTime(MOMENT_MS);
  return problems;
}

test('the welcome fits at 320 px with 200 % text', async () => {
  const browser = await launchProfile({ viewport: NARROW });
  try {
    const page = await browser.context.newPage();
    const problems = [];
    await open(page, '/', nl.welcome_title);
    await checkScreen(page, 'Welkom', problems);
    await page.getByRole('button', { name: nl.welcome_start }).click();
    await page.getByLabel(nl.child_name).fill('Noor');
    await page.getByLabel(nl.child_groep).selectOption('5');
    await page.getByRole('button', { name: nl.child_add }).click();
    await page.getByText(nl.child_added.replace('{name}', 'Noor')).waitFor();
    await checkScreen(page, 'Welkom, kinderen', problems);
    await page.getByRole('button', { name: nl.welcome_next }).click();
    await page.getByRole('button', { name: nl.welcome_done }).waitFor();
    await checkScreen(page, 'Welkom, school', problems);
    await page.getByRole('button', { name: nl.welcome_done }).click();
    await page.getByRole('heading', { level: 1, name: nl.today_title }).waitFor();
    await checkScreen(page, 'Vandaag (demoschool)', problems);
    assert.deepEqual(problems, [], problems.join('\n'));
  } finally {
    await browser.close();
  }
});

for (const scheme of ['light', 'dark']) {
  test(`every parent screen fits at 320 px with 200 % text (${scheme})`, async () => {
    await withFamily(
      async (page, context) => {
        const problems = await everyScreen(page, context, scheme);
        assert.deepEqual(problems, [], problems.join('\n'));
      },
      { colorScheme: scheme },
    );
  });
}

test("after the school's time for today, Vandaag shows one line to report later days", async () => {
  // The demo school takes reports for today until 08:15 (core/data/demo/school.json).
  await withFamily(async (page, context) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const later = page.getByRole('link', { name: nl.absence_later_link });
    const box = page.locator('.absence__call');

    // 07:00: the box with a button per child, no line.
    await context.clock.setSystemTime(MOMENT_MS - 3 * HOUR);
    await open(page, '/', nl.today_title);
    await page.getByRole('link', { name: nl.absence_button_for.replace('{name}', 'Noor') }).waitFor();
    assert.equal(await later.count(), 0, 'before the time, no line for later days');

    // 10:30: one line, no amber box, no button per child.
    await context.clock.setSystemTime(MOMENT_MS + HOUR / 2);
    await open(page, '/', nl.today_title);
    await later.waitFor();
    assert.equal(await box.count(), 0, 'after the time, no amber box on Vandaag');
    assert.equal(
      await page.getByRole('link', { name: nl.absence_button_for.replace('{name}', 'Noor') }).count(),
      0,
      'after the time, no button per child',
    );
    const height = await later.evaluate((el) => el.closest('.absence-later').getBoundingClientRect().height);
    const lineHeight = await later.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    assert.ok(height < 2 * lineHeight, `one line at 360 px (${height} px, a line is ${lineHeight} px)`);

    // It leads to the form, which starts at tomorrow and gives the number to call for today.
    await later.click();
    await page.getByRole('heading', { level: 1, name: nl.absence_title }).waitFor();
    await page.getByRole('link', { name: nl.absence_call.replace('{phone}', '0123-456780') }).waitFor();

    // And at 320 px with 200 % text it still fits.
    await page.setViewportSize(NARROW);
    await open(page, '/', nl.today_title);
    const problems = [];
    await checkScreen(page, 'Vandaag, 10:30', problems);
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
