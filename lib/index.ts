// Public entry point of the Open Interface client (package "main"); docs/api.md documents every export.
// Only what a library user needs: internals (frame decoding, routing, backoff, redaction…) are imported
// from their own modules by the nodes and the tests. No Node-RED imports in lib/.
import type { AnalyticsClient, ClientOptions } from './api';
import { createClient as createOpenInterfaceClient } from './client/client';
import type { ExtraClientOptions } from './options';

export type * from './api';
export type { ExtraClientOptions } from './options';
export type { Clock, TimerHandle } from './clock';
export type { EventMap, TypedEmitter } from './typed-emitter';

/** A client of one supervisor: one token, one WebSocket for every subscription. */
export const createClient: (options: ClientOptions & ExtraClientOptions) => AnalyticsClient = createOpenInterfaceClient;
export { createRestClient } from './rest-only';
export { entityKey } from './entity-key';
export { DIMDATA_KINDS, LOCALES } from './rest/endpoints';

export {
  AnalyticsError,
  AuthenticationError,
  ClosedError,
  HttpError,
  NetworkError,
  ProtocolError,
  ProxyError,
  StreamError,
  TimeoutError,
  TlsError,
  TokenError,
  TransportPolicyError,
  describeError,
  isTransient,
} from './errors';
