// An HTTPS reverse proxy on 127.0.0.1 in front of the simulator's REST API that remembers every token
// the simulator issues (the authdata of each login answer), so a test can grep a run's artifacts for
// exactly those tokens. It serves the simulator's own certificate (read from its certDir), so clients
// trust it with the same CA. The WebSocket endpoint named in SubscriptionResponses still points at the
// simulator itself: only REST passes through here.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenRecorder {
  /** The proxy's REST base URL (same context path as the simulator's). */
  restUrl: string;
  /** Every token a login answer carried, in order. */
  tokens: string[];
  close(): Promise<void>;
}

export async function startTokenRecorder(simRestUrl: string, certDir: string, caPem: string): Promise<TokenRecorder> {
  const target = new URL(simRestUrl);
  const [cert, key] = await Promise.all([
    readFile(join(certDir, 'server-cert.pem'), 'utf8'),
    readFile(join(certDir, 'server-key.pem'), 'utf8'),
  ]);
  const tokens: string[] = [];
  const server: Server = createServer({ cert, key }, (req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        ca: caPem,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (req.url?.includes('/users/login') && answer.statusCode === 200) {
            try {
              const authdata = (JSON.parse(body.toString('utf8')) as { authdata?: unknown }).authdata;
              if (typeof authdata === 'string') tokens.push(authdata);
            } catch {
              // not JSON: nothing issued
            }
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    restUrl: `https://127.0.0.1:${port}${target.pathname}`,
    tokens,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
