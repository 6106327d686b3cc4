// Public entry point of the Open Interface client (package "main"). No Node-RED imports in lib/.
export type * from './api';
export { entityKey } from './entity-key';

export { createClient, OpenInterfaceClient } from './client/client';
export { createRestClient } from './rest-only';
export type { AnalyticsRestClient } from './rest-only';
export type { ExtraClientOptions } from './options';
export { DEFAULTS as CLIENT_DEFAULTS } from './options';

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
export { Redactor, redactPatterns, safeUrl } from './redact';

// Pure frame functions (also used by the state node and the tests).
export { decodeFrame, HEARTBEAT_TEXT } from './frames/decode';
export type {
  DecodedMessage,
  Frame,
  MalformedFrame,
  MessageKind,
  PingFrame,
  ServerErrorFrame,
  StatusFrame,
} from './frames/decode';
export { isNumericType, normalizeMeasures, normalizeValue } from './frames/normalize';
export type { MeasureTypes } from './frames/normalize';
export {
  buildSchema,
  canonicalizeDimension,
  fallbackSchema,
  KNOWN_DIMENSIONS,
  producerName,
  schemaFromDescriptor,
} from './frames/producer-schema';
export type { ProducerSchema } from './frames/producer-schema';
export { toAnalyticsMessage } from './frames/message';
export { FrameRouter } from './frames/router';

export { ADMIN_PRODUCER, DIMDATA_KINDS, LOCALES } from './rest/endpoints';
export { errorMessageFromBody } from './rest/error-body';
export { Backoff } from './stream/backoff';
