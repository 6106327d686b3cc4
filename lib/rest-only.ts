// A REST-only client for use before deploy (the editor's dropdowns and "test connection"): same TLS,
// timeouts, request spacing, token handling and typed errors as the full client's `rest`, but no socket.
import type { AnalyticsRestClient, ClientOptions } from './api';
import type { ExtraClientOptions } from './options';
import { resolveOptions } from './options';
import { RestClient } from './rest/rest-client';

export function createRestClient(options: ClientOptions & ExtraClientOptions): AnalyticsRestClient {
  return new RestClient(resolveOptions(options));
}
