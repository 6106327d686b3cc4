// Parses a client frame into a subscriptionRedirect / unsubscriptionRedirect request and checks it
// against the subscription it names. Pure functions: the publisher decides what to do.
import type { SubscriptionResponse } from '../subscriptions';

export type RedirectEvent = 'subscriptionRedirect' | 'unsubscriptionRedirect';

export interface RedirectRequest {
  eventName: RedirectEvent;
  /** The JWT, without a "Bearer " prefix if the client added one. */
  token: string;
  guid: string;
  /** Every field the client copied from the SubscriptionResponse (strings only). */
  copied: Partial<Record<keyof SubscriptionResponse, string>>;
}

/** Fields of the SubscriptionResponse the guide tells the client to copy into the redirect. */
const COPIED_FIELDS = [
  'source',
  'sourceId',
  'producer',
  'producerId',
  'streamType',
  'version',
  'transport',
  'endpoint',
] as const;

export type ParsedRedirect = { ok: true; request: RedirectRequest } | { ok: false; message: string };

export function parseRedirect(text: string): ParsedRedirect {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not valid JSON (expected a subscriptionRedirect)' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'frame must be a JSON object (a subscriptionRedirect)' };
  }
  const frame = value as Record<string, unknown>;
  const eventName = frame['eventName'];
  if (eventName !== 'subscriptionRedirect' && eventName !== 'unsubscriptionRedirect') {
    return { ok: false, message: 'eventName must be "subscriptionRedirect" or "unsubscriptionRedirect"' };
  }
  const authorization = frame['authorization'];
  if (typeof authorization !== 'string' || authorization.trim() === '') {
    return { ok: false, message: 'authorization (the JWT from the login) is missing' };
  }
  const guid = frame['guid'];
  if (typeof guid !== 'string' || guid === '') return { ok: false, message: 'guid is missing' };
  const copied: RedirectRequest['copied'] = {};
  for (const field of COPIED_FIELDS) {
    const fieldValue = frame[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== 'string') return { ok: false, message: `${field} must be a string` };
    copied[field] = fieldValue;
  }
  const token = authorization.trim().replace(/^Bearer\s+/i, '');
  return { ok: true, request: { eventName, token, guid, copied } };
}

/**
 * The guide says to copy every field of the SubscriptionResponse; a missing or different one is
 * reported by name (so a client bug is easy to find). Returns an error message or undefined.
 */
export function checkCopiedFields(request: RedirectRequest, response: SubscriptionResponse): string | undefined {
  for (const field of COPIED_FIELDS) {
    const sent = request.copied[field];
    if (sent === undefined) return `${field} is missing: copy it from the SubscriptionResponse`;
    if (sent !== response[field]) return `${field} does not match the SubscriptionResponse of that guid`;
  }
  return undefined;
}
