// Property-based tests of REST answers the client cannot trust: for arbitrary status codes, content
// types and bodies (not JSON, empty, HTML, problem+json, hostile keys, truncated, deeply nested,
// huge), every call either resolves with a list or rejects with a typed AnalyticsError whose message
// is bounded and carries no token or password, over a real HTTPS connection; the client keeps
// working afterwards and no built-in prototype changes. errorMessageFromBody is total and bounded.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { AnalyticsError, createRestClient } from '../../lib/index';
import { errorMessageFromBody } from '../../lib/rest/error-body';
import type { AnalyticsRestClient } from '../../lib/index';
import { startRawServer, type RawServer, type RawRequest } from '../helpers/raw-server';
import { deeplyNested, HOSTILE_KEYS } from '../helpers/wire-arbitraries';
import { guardPrototypes } from '../helpers/prototype-guard';

const PASSWORD = 'password1';

const bodyArb = fc.oneof(
  fc.constant(''),
  fc.json(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json().map((t) => t.slice(0, Math.max(0, t.length - 1))), // truncated
  fc.constantFrom(...HOSTILE_KEYS).map((k) => `{"${k}":{"polluted":true},"message":"x"}`),
  fc.record({ title: fc.string(), detail: fc.string(), status: fc.integer() }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 100 }).map((t) => `<html><body><h1>${t}</h1><script>x()</script></body></html>`),
  fc.constant(deeplyNested(50_000)),
  fc.constant(`{"message":"${'m'.repeat(200_000)}"}`),
);
const answerArb = fc.record({
  status: fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 413, 429, 500, 502, 503),
  contentType: fc.constantFrom('application/json', 'application/problem+json', 'text/html', 'text/plain', undefined),
  body: bodyArb,
});

describe('property: REST bodies the client cannot trust', function () {
  this.timeout(90_000);
  let server: RawServer;
  let client: AnalyticsRestClient;
  guardPrototypes();

  before(async () => {
    server = await startRawServer();
    client = createRestClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: PASSWORD,
      tls: { ca: server.caPem },
      requestSpacingMs: 0,
    });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  /** Answers GET /sources (only) with `answer`. */
  function answerSources(answer: { status: number; contentType: string | undefined; body: string }): void {
    server.override = (req: RawRequest, res: ServerResponse) => {
      if (!req.path.endsWith('/sources')) return false;
      const headers: Record<string, string> = answer.contentType ? { 'content-type': answer.contentType } : {};
      res.writeHead(answer.status, headers);
      res.end(answer.status === 204 ? undefined : answer.body);
      return true;
    };
  }

  it('resolves with a list or rejects with a clear, bounded, secret-free AnalyticsError', async () => {
    const tokens = new Set<string>();
    await fc.assert(
      fc.asyncProperty(answerArb, async (answer) => {
        answerSources(answer);
        const outcome = await client.sources().then(
          (list) => ({ list }),
          (err: unknown) => ({ err }),
        );
        if ('list' in outcome) {
          assert.ok(answer.status < 300, `a ${answer.status} answer was taken for data`);
          assert.ok(Array.isArray(outcome.list));
          return;
        }
        const err = outcome.err;
        assert.ok(err instanceof AnalyticsError, `not an AnalyticsError: ${String(err)}`);
        assert.ok(err.message.length > 0 && err.message.length <= 1_000, `message of ${err.message.length} chars`);
        assert.ok(!err.message.includes(PASSWORD));
        for (const r of server.requests) if (r.authorization) tokens.add(r.authorization.slice('Bearer '.length));
        for (const t of tokens) assert.ok(!err.message.includes(t), 'a token in an error message');
      }),
      { numRuns: 120 },
    );
    // Still working after all of that.
    server.override = null;
    assert.ok((await client.sources()).length === 1);
  });

  it('refuses a body over the response limit without buffering it whole', async () => {
    const limited = createRestClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: PASSWORD,
      tls: { ca: server.caPem },
      requestSpacingMs: 0,
      maxResponseBytes: 64 * 1024,
    });
    try {
      answerSources({ status: 200, contentType: 'application/json', body: `[${'"x",'.repeat(100_000)}"x"]` });
      await assert.rejects(
        limited.sources(),
        (err: Error) => err instanceof AnalyticsError && /exceeds/.test(err.message),
      );
    } finally {
      server.override = null;
      await limited.close();
    }
  });

  it('errorMessageFromBody is total and bounded for any body and content type', () => {
    fc.assert(
      fc.property(bodyArb, fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (body, type) => {
        const text = errorMessageFromBody(body, type);
        assert.equal(typeof text, 'string');
        assert.ok(text.length <= 310, `${text.length} chars`);
        assert.ok(!/<script/i.test(text), 'markup passed through');
      }),
      { numRuns: 500 },
    );
  });
});
