// A REST-only client for use before deploy (the editor's dropdowns and "test connection"): same TLS,
// timeouts, request spacing, token handling and typed errors as the full client, but no socket.
import type { ClientOptions } from './api';
import type { ExtraClientOptions } from './options';
import { resolveOptions } from './options';
import { Redactor } from './redact';
import { RestClient } from './rest/rest-client';

export interface AnalyticsRestClient {
  /** Logs in now: the token's subject and expiry (epoch ms, Infinity if none), never the token itself. */
  login(): Promise<{ subject: string; expiresAt: number }>;
  sources(): Promise<unknown[]>;
  producers(sourceId?: string): Promise<unknown[]>;
  dictionary(producerId: string, locale: string, sourceId?: string): Promise<unknown>;
  dimdata(kind: string, sourceId?: string): Promise<unknown[]>;
  /** Masks this client's password and tokens in any text. */
  redact(text: string): string;
  /** Releases the HTTP agent; pending requests fail. */
  close(): Promise<void>;
}

export function createRestClient(options: ClientOptions & ExtraClientOptions): AnalyticsRestClient {
  const redactor = new Redactor();
  const rest = new RestClient(resolveOptions(options), redactor);
  return {
    login: () => rest.login(),
    sources: () => rest.sources(),
    producers: (sourceId) => rest.producers(sourceId),
    dictionary: (producerId, locale, sourceId) => rest.dictionary(producerId, locale, sourceId),
    dimdata: (kind, sourceId) => rest.dimdata(kind, sourceId),
    redact: (text) => redactor.redact(text),
    close: () => rest.close(),
  };
}
