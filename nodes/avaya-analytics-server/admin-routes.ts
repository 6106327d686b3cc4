// Admin HTTP endpoints behind the editor: dropdown contents (sources, producers with their
// dimensions and measures, locales, dimension-data kinds) and the "test connection" button.
//
//   GET  /avaya-analytics/:id/<query>   through the deployed config node :id (503 if not deployed)
//   POST /avaya-analytics/<query>       with the values typed in a dialog, before deploy
//   POST /avaya-analytics/test          log in with typed values: { user, expiresAt } or { error }
//
// GETs need avaya-analytics-server.read, POSTs avaya-analytics-server.write. A dialog shows a
// stored password as the placeholder __PWRD__; it is then taken from the deployed node's
// credentials. Answers never contain a password or a token; upstream failures are 502 (never 401,
// which the editor would take for its own session expiring).
import type { AnalyticsClient } from '../../lib/api';
import { AnalyticsError, createRestClient, type AnalyticsRestClient } from '../../lib/index';
import { Redactor } from '../../lib/redact';
import { ProxyResolver } from '../../lib/proxy';
import type { HttpHandler, HttpResponse, NodeRedApi } from '../shared/node-red';
import { DIMDATA_KINDS, LOCALES } from '../shared/vocabulary';
import { buildClientOptions, type ConnectionSettings, SettingsError } from './client-options';
import { findServer, routeOf, sameRoute } from './server-node';
import { substituteEnv } from '../shared/env';
import { summarizeProducer, type ProducerSummary } from './producer-summary';

const ROOT = '/avaya-analytics';
export const PASSWORD_PLACEHOLDER = '__PWRD__';

/** What both the shared client and a throwaway REST-only client offer. */
type RestQueries = Pick<AnalyticsRestClient, 'login' | 'sources' | 'producers' | 'dictionary' | 'dimdata'>;

interface QueryParams {
  source?: string;
  producer?: string;
}

/** The answers for the editor, by endpoint name. */
const QUERIES: Record<string, (client: RestQueries, params: QueryParams) => Promise<unknown>> = {
  sources: (client) => client.sources(),
  producers: async (client, { source }) => (await client.producers(source)).map(summarizeProducer),
  locales: async (client, { source, producer }) =>
    localesOf((await client.producers(source)).map(summarizeProducer), producer),
  // Fixed by the guide; served here too so every dropdown is filled the same way.
  'dimdata-kinds': () => Promise.resolve([...DIMDATA_KINDS]),
};

/** The locales a producer (or, without one, any producer) offers; the guide's list if none says. */
function localesOf(producers: ProducerSummary[], producerId: string | undefined): string[] {
  const chosen = producerId ? producers.filter((p) => p.producerId === producerId) : producers;
  const offered = new Set<string>();
  for (const p of chosen) for (const locale of p.locales) offered.add(locale);
  return offered.size > 0 ? [...offered] : [...LOCALES];
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function queryParams(source: unknown): QueryParams {
  const params: QueryParams = {};
  const s = stringParam(source && typeof source === 'object' ? (source as Record<string, unknown>).source : undefined);
  const p = stringParam(
    source && typeof source === 'object' ? (source as Record<string, unknown>).producer : undefined,
  );
  if (s) params.source = s;
  if (p) params.producer = p;
  return params;
}

export function registerAdminRoutes(RED: NodeRedApi): void {
  const canRead = RED.auth.needsPermission('avaya-analytics-server.read');
  const canWrite = RED.auth.needsPermission('avaya-analytics-server.write');

  function fail(res: HttpResponse, err: unknown, redact: (text: string) => string): void {
    if (err instanceof SettingsError) {
      res.status(400).json({ error: RED._(err.key, err.substitutions) });
    } else if (err instanceof TypeError || err instanceof RangeError) {
      // The client's own validation of the options (e.g. a URL that is not one).
      res.status(400).json({ error: redact(err.message) });
    } else if (err instanceof AnalyticsError) {
      res.status(502).json({ error: redact(err.message), code: err.code });
    } else {
      res.status(500).json({ error: redact(err instanceof Error ? err.message : String(err)) });
    }
  }

  // Through a deployed config node: its shared client, its stored credentials.
  for (const [name, query] of Object.entries(QUERIES)) {
    const handler: HttpHandler = (req, res) => {
      const server = findServer(RED.nodes.getNode, req.params.id);
      if (!server) {
        res.status(503).json({ error: RED._('avaya-analytics-server.errors.not-deployed') });
        return;
      }
      const redact = (text: string): string => server.redact(text);
      let client: AnalyticsClient;
      try {
        client = server.hub.rest();
      } catch (err) {
        fail(res, err, redact);
        return;
      }
      query(client.rest, queryParams(req.query)).then(
        (answer) => res.json(answer),
        (err: unknown) => fail(res, err, redact),
      );
    };
    RED.httpAdmin.get(`${ROOT}/:id/${name}`, canRead, handler);
  }

  /** Runs `work` with a throwaway client built from the posted dialog values. */
  function withTypedValues(work: (client: RestQueries, params: QueryParams) => Promise<unknown>): HttpHandler {
    return (req, res) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as ConnectionSettings & { id?: unknown };
      const redactor = new Redactor();
      const redact = (text: string): string => redactor.redact(text);
      let client: AnalyticsRestClient;
      try {
        const deployed = findServer(RED.nodes.getNode, body.id);
        let password = body.password;
        if (password === PASSWORD_PLACEHOLDER) {
          const stored = typeof body.id === 'string' && body.id ? RED.nodes.getCredentials(body.id) : undefined;
          password = stored?.password;
          if (!password) throw new SettingsError('avaya-analytics-server.errors.no-stored-password');
          const typed = routeOf(body as Record<string, unknown>, (text) => substituteEnv(RED, deployed, text));
          if (!deployed || !sameRoute(deployed.route, typed))
            throw new SettingsError('avaya-analytics-server.errors.stored-password-elsewhere');
        }
        if (typeof password === 'string') redactor.add(password);
        // The proxy (the chosen http proxy node, else the environment) serves the button too.
        const options = buildClientOptions(RED, deployed, { ...body, password });
        for (const secret of new ProxyResolver(options.proxy).secrets()) redactor.add(secret);
        client = createRestClient(options);
      } catch (err) {
        fail(res, err, redact);
        return;
      }
      const rest = client;
      work(rest, queryParams(body))
        .then(
          (answer) => res.json(answer),
          (err: unknown) => fail(res, err, redact),
        )
        .finally(() => rest.close().catch(() => undefined));
    };
  }

  for (const [name, query] of Object.entries(QUERIES)) {
    RED.httpAdmin.post(`${ROOT}/${name}`, canWrite, withTypedValues(query));
  }
  RED.httpAdmin.post(
    `${ROOT}/test`,
    canWrite,
    withTypedValues(async (client) => {
      const { subject, expiresAt } = await client.login();
      // A token without exp never expires: null rather than Infinity, which JSON cannot carry.
      return { user: subject, expiresAt: Number.isFinite(expiresAt) ? expiresAt : null };
    }),
  );
}
