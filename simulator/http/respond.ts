// JSON answers and bounded JSON request bodies, shared by the REST endpoints and the control API.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How an error body looks: notes.md says both a plain {"message"} body and RFC 7807 problem+json occur. */
export type ErrorStyle = 'message' | 'problem';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), 'application/json', headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  style: ErrorStyle,
  headers: Record<string, string> = {},
): void {
  const title = STATUS_TITLES[status] ?? 'Error';
  if (style === 'problem') {
    const body = { type: 'about:blank', title, status, detail: message };
    sendText(res, status, JSON.stringify(body), 'application/problem+json', headers);
  } else {
    sendJson(res, status, { status, error: title, message }, headers);
  }
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string };

/** application/json, optionally with parameters (charset) or a +json suffix type. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads and parses a JSON body of at most `limit` bytes. An oversized body is answered at once and
 * the connection closed after the answer, so a client streaming gigabytes cannot hold memory.
 */
export function readJsonBody(req: IncomingMessage, limit: number, requireJsonType: boolean): Promise<BodyResult> {
  return new Promise((resolve) => {
    if (requireJsonType && !isJsonContentType(req.headers['content-type'])) {
      req.resume();
      resolve({ ok: false, status: 415, message: 'Content-Type must be application/json' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, status: 413, message: `request body larger than ${limit} bytes` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, status: 413, message: `request body larger than ${limit} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return finish({ ok: true, value: undefined });
      try {
        finish({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        finish({ ok: false, status: 400, message: 'request body is not valid JSON' });
      }
    });
    req.on('error', () => finish({ ok: false, status: 400, message: 'request body could not be read' }));
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
