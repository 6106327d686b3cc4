// Checks the nodes apply to msg overrides before anything reaches the server. The vocabularies
// themselves (guide: "Locales", "Retrieving Dimension Data") live in lib/.
import { DIMDATA_KINDS, LOCALES } from '../../lib/index';

export { DIMDATA_KINDS, LOCALES };
export type Locale = (typeof LOCALES)[number];
export type DimDataKind = (typeof DIMDATA_KINDS)[number];

const LOCALE_SET: ReadonlySet<string> = new Set(LOCALES);
const KIND_SET: ReadonlySet<string> = new Set(DIMDATA_KINDS);
// Producer ids look like Agent_SoD_3.5 or ContactDetail_CDR_3.5 (<Name>_<processor>_<version>).
export const PRODUCER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** What Node-RED accepts for a context store name. */
export const STORE_NAME = /^[A-Za-z0-9_]+$/;
/** A context key the state and alert nodes persist under. */
export const CONTEXT_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && LOCALE_SET.has(value);
}

export function isDimDataKind(value: unknown): value is DimDataKind {
  return typeof value === 'string' && KIND_SET.has(value);
}

export function isProducerId(value: unknown): value is string {
  return typeof value === 'string' && PRODUCER_ID.test(value);
}
