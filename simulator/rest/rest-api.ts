// The REST interface: route table, fault injection, bearer authentication, and the handlers.
// Errors are plain {"message"} bodies on the login/catalog endpoints and RFC 7807 problem+json on
// the subscription, dictionary and dimension-data endpoints (notes.md: a client sees both).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimUser } from '../model/contract';
import type { FaultEndpoint } from '../options';
import type { FaultState } from '../faults';
import { parseRequestTarget, splitPath, stripPrefix } from '../http/request-target';
import { sendError, type ErrorStyle } from '../http/respond';
import { dictionary, dimdata, producers, sources } from './catalog';
import type { RestCall, RestDeps } from './context';
import { jwks, login, publicKeyPem } from './login';
import { subscribe, unsubscribe } from './subscriptions-endpoint';

interface Route {
  /** Path segments after the context path; ":name" captures a segment. */
  pattern: string[];
  method: 'GET' | 'POST' | 'DELETE';
  fault: FaultEndpoint | undefined;
  auth: boolean;
  style: ErrorStyle;
  handle(call: RestCall): void | Promise<void>;
}

const PRODUCER = ['sources', ':sourceId', 'producers', ':producerId'];

function routes(users: ReadonlyMap<string, SimUser>): Route[] {
  return [
    {
      pattern: ['users', 'login'],
      method: 'GET',
      fault: 'login',
      auth: false,
      style: 'message',
      handle: (c) => login(c, users),
    },
    {
      pattern: ['keys', 'public.pem'],
      method: 'GET',
      fault: undefined,
      auth: false,
      style: 'message',
      handle: publicKeyPem,
    },
    {
      pattern: ['.well-known', 'jwks.json'],
      method: 'GET',
      fault: undefined,
      auth: false,
      style: 'message',
      handle: jwks,
    },
    { pattern: ['sources'], method: 'GET', fault: 'sources', auth: true, style: 'message', handle: sources },
    {
      pattern: ['sources', ':sourceId', 'producers'],
      method: 'GET',
      fault: 'producers',
      auth: true,
      style: 'message',
      handle: producers,
    },
    {
      pattern: [...PRODUCER, 'dictionaries'],
      method: 'GET',
      fault: 'dictionary',
      auth: true,
      style: 'problem',
      handle: dictionary,
    },
    {
      pattern: [...PRODUCER, 'subscriptions'],
      method: 'POST',
      fault: 'subscribe',
      auth: true,
      style: 'problem',
      handle: subscribe,
    },
    {
      pattern: [...PRODUCER, 'subscriptions'],
      method: 'DELETE',
      fault: 'unsubscribe',
      auth: true,
      style: 'problem',
      handle: unsubscribe,
    },
    {
      pattern: [...PRODUCER, 'dimdata', ':name', 'datatype', ':type'],
      method: 'GET',
      fault: 'dimdata',
      auth: true,
      style: 'problem',
      handle: dimdata,
    },
  ];
}

function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params = Object.create(null) as Record<string, string>;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const found = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return found?.[1];
}

export function createRestHandler(
  deps: RestDeps,
  faults: FaultState,
  contextPath: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const prefix = splitPath(contextPath);
  const users = new Map(deps.model.users.map((u) => [u.username, u] as const));
  const table = routes(users);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') req.resume(); // only POST bodies are read
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) return sendError(res, 400, parsed.message, 'message');
    const { segments, query } = parsed.target;
    const rest = stripPrefix(segments, prefix);
    const allowed: string[] = [];
    let found: { route: Route; params: Record<string, string> } | undefined;
    if (rest) {
      for (const route of table) {
        const params = match(route.pattern, rest);
        if (!params) continue;
        allowed.push(route.method);
        if (route.method === req.method) found = { route, params };
      }
    }
    if (!found) {
      req.resume();
      if (allowed.length > 0)
        return sendError(res, 405, `use ${allowed.join(' or ')}`, 'message', { Allow: allowed.join(', ') });
      return sendError(res, 404, 'no such endpoint', 'message');
    }
    const { route, params } = found;
    const failure = route.fault ? faults.takeFailure(route.fault) : undefined;
    if (failure) {
      req.resume();
      return sendError(res, failure, `injected fault: ${route.fault} answers ${failure}`, route.style);
    }
    let user = '';
    if (route.auth) {
      const token = bearerToken(req);
      const check = token
        ? await deps.tokens.verify(token)
        : { ok: false as const, reason: 'an Authorization: Bearer <token> header is required' };
      if (!check.ok) {
        req.resume();
        return sendError(res, 401, check.reason, route.style, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      }
      user = check.claims.sub;
    }
    await route.handle({ req, res, params, query, user, style: route.style, deps });
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.log(`REST ${req.method ?? '?'} failed: ${(error as Error).message}`);
      sendError(res, 500, 'internal error', 'message');
    });
  };
}
