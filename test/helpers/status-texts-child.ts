// Run by test/nodes/status-texts.test.ts in a process of its own (Node-RED's i18n is one per process, and the test
// helper's RED._ does not translate): every text of every catalog of this package, in each of its languages, made by
// Node-RED's own RED._ and by cachedTranslator around it, with values of every kind. Prints one JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cachedTranslator } from '../../nodes/shared/status-texts';
import { catalogLeaves } from './catalog-leaves';
import { requireFromNodeRed } from './node-red-selection';

interface NodeRedI18n {
  init(settings: { lang?: string }): void;
  /** The i18next instance. */
  i: { loadLanguages(languages: string[], done: (err?: unknown) => void): void };
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, options?: Record<string, unknown>): string;
}

const LOCALES = path.resolve(__dirname, '..', '..', '..', 'locales'); // dist/test/helpers → repository root
const i18n = requireFromNodeRed<{ i18n: NodeRedI18n }>('@node-red/util').i18n;

/** Values of every kind a status may get: numbers, text with what a replacement or an escape would change, none. */
const VALUES: unknown[] = [
  12345,
  0,
  -1.5,
  'it costs $& and $1 <b>&amp;</b> "q"',
  '',
  null,
  undefined,
  true,
  new Date(0),
];

async function main(): Promise<void> {
  i18n.init({ lang: 'en-US' });
  const files = readdirSync(path.join(LOCALES, 'en-US')).filter((f) => f.endsWith('.json'));
  const namespaces = files.map((f) => f.slice(0, -'.json'.length));
  for (const [i, ns] of namespaces.entries()) await i18n.registerMessageCatalog(ns, LOCALES, files[i] as string);
  let compared = 0;
  let translations = 0;
  const mismatches: string[] = [];
  const languages = readdirSync(LOCALES);
  // registerMessageCatalog loads the runtime's language only: a call for another one would fall back to en-US
  await new Promise<void>((resolve, reject) =>
    i18n.i.loadLanguages(languages, (err) =>
      err ? reject(new Error(`loading the languages: ${JSON.stringify(err)}`)) : resolve(),
    ),
  );
  /** Texts of de and ja that are not the en-US text of the same key and values (shows they were translated). */
  let translated = 0;
  for (const lng of languages) {
    for (const ns of namespaces) {
      // RED._ of a node of this namespace, in this language
      const red = (key: string, substitutions?: Record<string, unknown>): string => {
        translations++;
        return i18n._(`${ns}:${key}`, { ...substitutions, lng });
      };
      const cached = cachedTranslator(red);
      const catalog = JSON.parse(readFileSync(path.join(LOCALES, lng, `${ns}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      for (const [key, text] of catalogLeaves(catalog)) {
        // i18next's own pattern (prefix, the shortest text, suffix); a name with a format or spaces is not expected
        const names = [...new Set([...text.matchAll(/__(.+?)__/g)].map((m) => m[1] as string))];
        for (const name of names)
          if (!/^[a-zA-Z]+$/.test(name)) mismatches.push(`${lng} ${ns}:${key}: placeholder ${name}`);
        // no values: as a node calls it, without options and with empty ones; values: each value in each place
        const cases: Array<Record<string, unknown> | undefined> =
          names.length === 0
            ? [undefined, {}]
            : VALUES.map((_, v) => Object.fromEntries(names.map((name, n) => [name, VALUES[(v + n) % VALUES.length]])));
        // twice: the first call makes the template, the second uses it
        for (const substitutions of [...cases, ...cases]) {
          const want = i18n._(`${ns}:${key}`, { ...substitutions, lng });
          const got = cached(key, substitutions);
          compared++;
          if (lng !== 'en-US' && want !== i18n._(`${ns}:${key}`, { ...substitutions, lng: 'en-US' })) translated++;
          if (got !== want) mismatches.push(`${lng} ${ns}:${key} ${JSON.stringify(substitutions)}: ${got} ≠ ${want}`);
        }
      }
    }
  }
  process.stdout.write(
    `${JSON.stringify({ compared, translations, translated, mismatches: mismatches.slice(0, 20), languages })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
