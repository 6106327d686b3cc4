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
 * The script block copy-assets.js puts before each editor's own: the constants, plus `defaults(type, extra)`,
 * which builds a registerType `defaults` object from the schema (`{ value }` per property, merged with the
 * editor-only parts in `extra`: validate, required, type, label) and its `version`.
 */
export function editorConstantsScript(): string {
  const json = JSON.stringify(EDITOR_CONSTANTS).replace(/</g, '\\u003c');
  return `<script type="text/javascript">
(function () {
    "use strict";
    if (window.avayaAnalyticsEditorConstants) { return; }
    var C = ${json};
    C.defaults = function (type, extra) {
        var schema = C.schemas[type];
        var out = {};
        extra = extra || {};
        Object.keys(schema.defaults).forEach(function (key) {
            var def = { value: JSON.parse(JSON.stringify(schema.defaults[key])) };
            Object.keys(extra[key] || {}).forEach(function (k) { def[k] = extra[key][k]; });
            out[key] = def;
        });
        out.version = { value: schema.version };
        return out;
    };
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
