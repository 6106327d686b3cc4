// Paths of the REST interface below the base URL (…/orca-streams-rest). Every path part is URL-encoded:
// producer ids contain dots and a hostile id must not be able to climb to another endpoint.

/** The admin producer that serves dimension data. */
export const ADMIN_PRODUCER = 'Admin_Admin_3.5';

/** The nine dimension-data kinds (name and datatype are identical in this release). */
export const DIMDATA_KINDS = [
  'Agent',
  'Account',
  'Group',
  'GroupMember',
  'GroupPrivilege',
  'ReasonCode',
  'RoutingPoint',
  'RoutingService',
  'Channel',
] as const;

/** The eleven dictionary locales of the guide. */
export const LOCALES = ['de', 'en-us', 'es', 'fr', 'it', 'ja', 'ko', 'pt_BR', 'ru', 'zh-cn', 'zh-tw'] as const;

const enc = encodeURIComponent;

export const paths = {
  login: (): string => '/users/login',
  sources: (): string => '/sources',
  producers: (sourceId: string): string => `/sources/${enc(sourceId)}/producers`,
  subscriptions: (sourceId: string, producerId: string): string =>
    `/sources/${enc(sourceId)}/producers/${enc(producerId)}/subscriptions`,
  dictionaries: (sourceId: string, producerId: string): string =>
    `/sources/${enc(sourceId)}/producers/${enc(producerId)}/dictionaries`,
  dimdata: (sourceId: string, kind: string): string =>
    `/sources/${enc(sourceId)}/producers/${enc(ADMIN_PRODUCER)}/dimdata/${enc(kind)}/datatype/${enc(kind)}`,
};
