// What every REST endpoint handler gets: the request, its decoded path parameters and query, the
// authenticated user, and the simulator's parts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/token-service';
import type { Counters } from '../counters';
import type { TrafficModel } from '../model/contract';
import type { SubscriptionRegistry } from '../subscriptions';
import type { ErrorStyle } from '../http/respond';

export interface RestDeps {
  model: TrafficModel;
  tokens: TokenService;
  registry: SubscriptionRegistry;
  counters: Counters;
  /** The wss:// (or ws://) URL a SubscriptionResponse names, as seen from this request. */
  wsEndpoint(req: IncomingMessage): string;
  log(line: string): void;
}

export interface RestCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path parameters (null-prototype: keys come from the route table only). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The token's subject, on authenticated routes. */
  user: string;
  style: ErrorStyle;
  deps: RestDeps;
}

/** The one source's admin producer, which serves dimension data (notes.md). */
export const ADMIN_PRODUCER_ID = 'Admin_Admin_3.5';
