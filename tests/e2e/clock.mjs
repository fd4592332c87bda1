// The moment the browser tests play at, and the demo content's dates as the app shows them then.
//
// No browser test reads the real clock for a decision. The server under test runs with
// `serve --clock MOMENT` and every browser profile's clock is installed at the same moment
// (`launchProfile` in browser.mjs), so that the app, the server and the test agree on "today".
// Both clocks then run on at the real pace, so a test that takes a minute ends a minute later.

/** Monday 23 November 2026, 10:00 in Amsterdam: a school morning in the demo content's own week. */
export const MOMENT = '2026-11-23T10:00';

const DAY = 86_400_000;

/** The UTC offset of Amsterdam in milliseconds at a UTC moment (CET, or CEST from the last Sunday
 * of March to the last Sunday of October, 01:00 UTC). */
function amsterdamOffset(utcMs) {
  const year = new Date(utcMs).getUTCFullYear();
  const lastSunday = (month) => {
    const last = Date.UTC(year, month + 1, 0, 1);
    return last - new Date(last).getUTCDay() * DAY;
  };
  return utcMs >= lastSunday(2) && utcMs < lastSunday(9) ? 2 * 3_600_000 : 3_600_000;
}

/** `MOMENT` in milliseconds since the epoch (what `Date.now()` gives in the browser then). */
export const MOMENT_MS = (() => {
  const asUtc = Date.parse(`${MOMENT}:00Z`);
  return asUtc - amsterdamOffset(asUtc - 3_600_000);
})();

/** The Amsterdam wall time `offsetMs` after the moment, as `YYYY-MM-DDTHH:MM:SS` (the content's
 * own form). */
export function localAt(offsetMs = 0) {
  const utc = MOMENT_MS + offsetMs;
  return new Date(utc + amsterdamOffset(utc)).toISOString().slice(0, 19);
}

/** The moment's date in Amsterdam as a `Date` at 00:00 UTC, for formatting a day. */
export function momentDay() {
  return new Date(`${localAt().slice(0, 10)}T00:00:00Z`);
}

/** The demo's dates move by whole weeks: Monday of the moment's week minus the Monday the demo
 * files are written for (23 November 2026). */
export function demoShiftDays() {
  const t = momentDay().getTime();
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
  return Math.round((monday - Date.UTC(2026, 10, 23)) / DAY);
}

/** A demo date-time (`YYYY-MM-DDTHH:MM:SS`) or date (`YYYY-MM-DD`) moved to the moment's week, in
 * the same form. */
export function shifted(when) {
  const dateOnly = when.length === 10;
  const ms = Date.parse(dateOnly ? `${when}T00:00:00Z` : `${when}Z`) + demoShiftDays() * DAY;
  return new Date(ms).toISOString().slice(0, dateOnly ? 10 : 19);
}
