// RED._ for the texts a node makes again and again with other values: its status, up to once a second while
// msgs flow ("ready · 1,234 msgs"). RED._ goes through i18next's resolver and interpolator each time, some
// 40–50 µs a call in Node-RED 4.1 (measured), which ten subscribe nodes and a state node paid every second
// under traffic. Here each key is translated once, with a marker in place of each value, and the values are
// put where the markers came out.
//
// The same text as RED._ while the text of a key does not depend on its values. Node-RED's i18next inserts
// values as they are (`escapeValue: false`), null and undefined as nothing; a catalog with plural forms
// (`key_one`, `key_other`) would make the text depend on `count`, and this package's catalogs have none
// (test/nodes/status-texts.test.ts checks both against Node-RED's own i18n, in de, en-US and ja). Two more
// differences no catalog of this package meets: i18next fills a placeholder at the first occurrence of its
// text, so a value holding "__b__" put before a placeholder __b__ takes that one (here each goes in its own
// place), and a placeholder with a format (`__n, number__`) would format the marker. The substitutions are
// values only: i18next's options (lng, context) are not passed through here.
/** RED._: a key of the node's catalog, and its __name__ values. */
export type Translate = (key: string, substitutions?: Record<string, unknown>) => string;

/** Marks the i-th value in a text being translated: a character no catalog text holds, on either side. */
const MARK = '\u0000';

/** A translated text cut at its values: literal, value index, literal, value index, …, literal. */
type Template = ReadonlyArray<string | number>;

export function cachedTranslator(translate: Translate): Translate {
  const templates = new Map<string, Template>();
  return (key, substitutions) => {
    const names = substitutions === undefined ? [] : Object.keys(substitutions);
    const id = names.length === 0 ? key : `${key}${MARK}${names.join(MARK)}`;
    let template = templates.get(id);
    if (template === undefined) {
      // RED._ as the node called it when there are no values (no options object either)
      let markers: Record<string, string> | undefined;
      if (substitutions !== undefined) {
        markers = {};
        for (const [i, name] of names.entries()) markers[name] = `${MARK}${i}${MARK}`;
      }
      template = cut(translate(key, markers));
      templates.set(id, template);
    }
    let out = '';
    for (const part of template)
      out += typeof part === 'string' ? part : textOf(substitutions?.[names[part] as string]);
    return out;
  };
}

/** i18next's text of a value (its makeString, `'' + value`): nothing for null and undefined. */
function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : '' + (value as string);
}

/** A translated text cut at its markers. */
function cut(text: string): Template {
  const parts = text.split(MARK);
  // "a\0" "0" "\0b": the odd parts are the markers' indexes, the even ones the literals between
  return parts.map((part, i) => (i % 2 === 1 ? Number(part) : part));
}
