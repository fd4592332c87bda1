// Lists, per language, the Dutch texts it still lacks (and texts Dutch no longer has), with the
// Dutch to translate: `node scripts/missing-texts.mjs [lang ...]`. The build (web/build.rs) fails
// on the same keys; this shows them all at once, for whoever translates after a merge.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
const table = (lang) =>
  Object.assign(
    {},
    ...readdirSync(join(root, lang))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(root, lang, f), 'utf8'))),
  );
const placeholders = (text) => (text.match(/\{\w+\}/g) ?? []).sort().join(' ');

const nl = table('nl');
const langs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(root).filter((l) => l !== 'nl').sort();
let problems = 0;
for (const lang of langs) {
  const t = table(lang);
  const missing = Object.keys(nl).filter((k) => !(k in t));
  const extra = Object.keys(t).filter((k) => !(k in nl));
  const wrong = Object.keys(nl).filter((k) => k in t && placeholders(nl[k]) !== placeholders(t[k]));
  if (!missing.length && !extra.length && !wrong.length) {
    console.log(`${lang}: complete`);
    continue;
  }
  problems += missing.length + extra.length + wrong.length;
  console.log(`${lang}:`);
  for (const k of missing) console.log(`  missing  ${k}: ${JSON.stringify(nl[k])}`);
  for (const k of extra) console.log(`  unknown  ${k} (not in Dutch: remove it)`);
  for (const k of wrong) console.log(`  placeholders differ  ${k}: Dutch has "${placeholders(nl[k])}"`);
}
process.exitCode = problems ? 1 : 0;
