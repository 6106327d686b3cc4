// The control API over HTTP: JSON in, JSON out, bound to 127.0.0.1 and refusing any other peer.
// Every route calls the same SimulatorControl the process uses in-process (see simulator/README.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseRequestTarget } from '../http/request-target';
import { isPlainObject, readJsonBody, sendJson } from '../http/respond';
import type { FaultEndpoint, SimulatorControl } from '../options';

const BODY_LIMIT = 16 * 1024;

type Body = Record<string, unknown>;
type Operation = (body: Body, query: URLSearchParams) => unknown;

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  return value === undefined || value === null ? undefined : (value as string);
}

function operations(control: SimulatorControl): Record<string, Operation> {
  const table: Record<string, Operation> = {
    'GET /stats': () => control.stats(),
    'GET /truth': (_b, q) => control.truth(q.get('user') ?? '', q.get('producer') ?? undefined),
    'POST /sockets/drop': (b) => ({ dropped: control.dropSockets(optionalString(b, 'user')) }),
    'POST /sockets/stall': (b) => ({ stalled: control.stallSockets(optionalString(b, 'user')) }),
    'POST /faults/refuse': (b) => {
      control.refuseConnections(b['ms'] as number);
      return { refusingMs: b['ms'] };
    },
    'POST /faults/http': (b) => {
      control.failEndpoint(b['endpoint'] as FaultEndpoint, b['status'] as 500 | 503, b['count'] as number);
      return { endpoint: b['endpoint'], status: b['status'], count: b['count'] };
    },
    'POST /tokens/revoke': () => ({ revoked: control.revokeTokens() }),
    'POST /restart': async () => {
      await control.restart();
      return { restarted: true };
    },
    'POST /rate': (b) => {
      control.setRate(b['rate'] as number | 'max');
      return { rate: b['rate'] };
    },
    'POST /trigger': (b) => ({ deltas: control.trigger(b['count'] as number) }),
    'POST /groups/remove-agent': (b) => {
      const removal = control.removeAgentFromGroup(b['agentId'] as string, b['groupId'] as string);
      if (!removal) throw new NotFound('that agent is not in that group');
      return removal;
    },
    'POST /groups/add-agent': (b) => ({
      added: control.addAgentToGroup(b['agentId'] as string, b['groupId'] as string),
    }),
  };
  table['GET /'] = () => ({ endpoints: Object.keys(table) });
  return Object.assign(Object.create(null) as Record<string, Operation>, table);
}

class NotFound extends Error {}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

export function createControlServer(control: SimulatorControl, log: (line: string) => void): Server {
  const table = operations(control);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) {
      req.socket.destroy();
      return;
    }
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) {
      req.resume();
      return sendJson(res, 400, { error: parsed.message });
    }
    const path = '/' + parsed.target.segments.join('/');
    const operation = table[`${req.method ?? ''} ${path}`];
    if (!operation) {
      req.resume();
      return sendJson(res, 404, { error: `no control endpoint ${req.method ?? ''} ${path}; GET / lists them` });
    }
    let body: Body = {};
    if (req.method === 'POST') {
      const read = await readJsonBody(req, BODY_LIMIT, false);
      if (!read.ok) return sendJson(res, read.status, { error: read.message });
      if (read.value !== undefined && !isPlainObject(read.value))
        return sendJson(res, 400, { error: 'the body must be a JSON object' });
      body = read.value ?? {};
    } else {
      req.resume();
    }
    try {
      sendJson(res, 200, await operation(body, parsed.target.query));
    } catch (error) {
      if (error instanceof RangeError) return sendJson(res, 400, { error: error.message });
      if (error instanceof NotFound) return sendJson(res, 404, { error: error.message });
      throw error;
    }
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`control ${req.method ?? '?'} failed: ${(error as Error).message}`);
      sendJson(res, 500, { error: 'internal error' });
    });
  });
}
