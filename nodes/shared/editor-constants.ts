// The constants the editors (nodes/<type>/<type>.html) validate and default with, taken from the sources the
// runtime checks with. scripts/copy-assets.js puts them into every built .html at build time (a script block
// defining `window.avayaAnalyticsEditorConstants` before the editor's own), so no editor holds a copy that could
// drift from the runtime.
import { PASSWORD_PLACEHOLDER } from '../avaya-analytics-server/admin-routes';
import { SETTING_RANGES_S } from '../avaya-analytics-server/client-options';
import { CONFIG_SCHEMAS } from './schemas';
import { CONTEXT_KEY, DIMDATA_KINDS, LOCALES, PRODUCER_ID, STORE_NAME } from './vocabulary';

export const EDITOR_CONSTANTS = {
  /** Regular expressions as sources (`new RegExp(source)` in the editor). */
  patterns: { producerId: PRODUCER_ID.source, storeName: STORE_NAME.source, contextKey: CONTEXT_KEY.source },
  locales: LOCALES,
  dimdataKinds: DIMDATA_KINDS,
  ranges: SETTING_RANGES_S,
  passwordPlaceholder: PASSWORD_PLACEHOLDER,
  /** Each node type's `version` and property defaults (nodes/shared/schemas.ts). */
  schemas: CONFIG_SCHEMAS,
} as const;

/**
 * The script block copy-assets.js puts before each editor's own: the constants, plus `inRange(name, value)` and
 * `matches(name, value)` for the validators.
 */
export function editorConstantsScript(): string {
  const json = JSON.stringify(EDITOR_CONSTANTS).replace(/</g, '\\u003c');
  return `<script type="text/javascript">
(function () {
    "use strict";
    if (window.avayaAnalyticsEditorConstants) { return; }
    var C = ${json};
    C.inRange = function (name, value, emptyOk) {
        var r = C.ranges[name];
        var n = Number(value);
        return (emptyOk && value === "") || (value !== "" && n >= r.min && n <= r.max);
    };
    C.matches = function (name, value, emptyOk) {
        return (emptyOk && (value === "" || value === undefined)) || new RegExp(C.patterns[name]).test(value || "");
    };
    window.avayaAnalyticsEditorConstants = C;
})();
</script>
`;
}

/**
 * An editor source with its schema's defaults written in: `DEFAULT.<property>` becomes the JSON of the default and
 * `SCHEMA_VERSION` the version, so the built file keeps a literal `defaults` object (the Flow Library's scorer reads
 * it statically) whose values come from nodes/shared/schemas.ts. Throws for a property the schema does not have.
 */
export function withSchemaDefaults(type: string, html: string): string {
  const schema = (CONFIG_SCHEMAS as Record<string, { version: number; defaults: Record<string, unknown> }>)[type];
  if (!schema) return html;
  return html
    .replace(/\bDEFAULT\.([A-Za-z0-9_]+)\b/g, (_m, name: string) => {
      if (!Object.hasOwn(schema.defaults, name)) throw new Error(`${type}.html: no default for ${name} in schemas.ts`);
      return JSON.stringify(schema.defaults[name]);
    })
    .replace(/\bSCHEMA_VERSION\b/g, String(schema.version));
}
