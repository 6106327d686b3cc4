// The alert sentences of one locale, read from the node's own catalog (locales/<lang>/<type>.json,
// "text"), so msg.payload is in the language of the editor that deployed the node, whatever the
// runtime's language. en-US fills in anything a catalog lacks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Texts } from '../../lib/alert/index';

const TYPE = 'avaya-analytics-alert';
export const LANGUAGES = ['en-US', 'de', 'ja'] as const;

/** The catalog language for an editor language ("de-DE" → "de", "ja" → "ja", anything else → "en-US"). */
export function catalogLanguage(lang: unknown): string {
  const l = typeof lang === 'string' ? lang.toLowerCase() : '';
  if (l === 'de' || l.startsWith('de-')) return 'de';
  if (l === 'ja' || l.startsWith('ja-')) return 'ja';
  return 'en-US';
}

type Tree = { [key: string]: string | Tree };

function load(lang: string): Tree {
  try {
    const file = join(__dirname, 'locales', lang, `${TYPE}.json`);
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Tree>;
    return (catalog[TYPE]?.text as Tree) ?? {};
  } catch {
    return {};
  }
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The sentence templates of `lang`, with __name__ placeholders filled in. */
export function textsFor(lang: unknown): Texts {
  const main = load(catalogLanguage(lang));
  const fallback = catalogLanguage(lang) === 'en-US' ? main : load('en-US');
  return (key, subs = {}) => {
    const template = lookup(main, key) ?? lookup(fallback, key) ?? key;
    return template.replace(/__(\w+)__/g, (all, name: string) =>
      Object.hasOwn(subs, name) ? String(subs[name]) : all,
    );
  };
}
