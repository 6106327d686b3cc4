// The (un)subscriptionRedirect frame: the guide says to copy every field of the SubscriptionResponse
// (source, sourceId, producer, producerId, streamType, version, transport, endpoint, guid) and add the
// JWT as `authorization` and the event name. `currentGuids` is "for internal use only" and never sent.
import type { SubscriptionResponse } from '../rest/rest-client';
import { REDIRECT_FIELDS } from '../rest/rest-client';

export type RedirectEvent = 'subscriptionRedirect' | 'unsubscriptionRedirect';

export function redirectFrame(response: SubscriptionResponse, token: string, eventName: RedirectEvent): string {
  const frame: Record<string, string> = {};
  for (const field of REDIRECT_FIELDS) {
    const v = response[field];
    if (v !== undefined) frame[field] = v;
  }
  frame.authorization = token;
  frame.eventName = eventName;
  return JSON.stringify(frame);
}
