// avaya-analytics-server: the config node. Holds ONE Open Interface client (one supervisor login,
// one WebSocket) for every node that uses it; see connection-hub.ts for the sharing rules and
// admin-routes.ts for the endpoints behind the editor's dropdowns and "test connection" button.
import { createClient } from '../../lib/index';
import { ProxyResolver } from '../../lib/proxy';
import { Redactor } from '../../lib/redact';
import type { NodeRedApi } from '../shared/node-red';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { NodeListeners } from '../shared/listeners';
import { substituteEnv } from '../shared/env';
import { upgradeConfig } from '../shared/upgrade';
import { registerAdminRoutes } from './admin-routes';
import type { ClientOptions } from '../../lib/api';
import { buildClientOptions, SettingsError } from './client-options';
import { parseReconfiguration, type Reconfiguration } from './reconfiguration';
import { ConnectionHub, type HubUser } from './connection-hub';
import { translateCause } from './cause-text';
import { nodeLogger } from './node-logger';
import { routeOf, SERVER_TYPE, type PasswordRoute, type ServerConfig, type ServerNode } from './server-node';

export = function registerServer(RED: NodeRedApi): void {
  function AvayaAnalyticsServer(this: ServerNode, stored: ServerConfig): void {
    const config = upgradeConfig(stored, CONFIG_SCHEMAS[SERVER_TYPE]);
    RED.nodes.createNode(this, config);
    const node = this;
    const verbose = config.verbose === true;
    const redactor = new Redactor();
    const logger = nodeLogger(node, verbose, redactor);
    const detail = (line: string): void => (verbose ? node.log(line) : node.debug(line));

    /** Values a flow set with msg.action "reconfigure" (kept until the next deploy; never logged). */
    let overrides: Reconfiguration = {};
    /** The client options from the configuration, the credentials and the overrides. */
    const clientOptions = (extra: Reconfiguration): ClientOptions => {
      const credentials = node.credentials ?? {};
      const settings = {
        ...config,
        username: credentials.username,
        password: credentials.password,
        ...overrides,
        ...extra,
      };
      try {
        const options = buildClientOptions(RED, node, settings, logger);
        redactor.add(options.password);
        // The proxy password (of the proxy node, or user:pass@ in HTTPS_PROXY) and its Basic header value.
        for (const secret of new ProxyResolver(options.proxy).secrets()) redactor.add(secret);
        return options;
      } catch (err) {
        if (err instanceof SettingsError) throw new Error(RED._(err.key, err.substitutions), { cause: err });
        throw err;
      }
    };

    // Options are built when the client is first needed: by then every config node of the flows,
    // including the tls-config node this one may refer to, exists.
    const hub = new ConnectionHub(
      () => {
        const options = clientOptions({});
        detail(
          Object.keys(overrides).length > 0
            ? 'client with the values of msg.action "reconfigure"'
            : `client for ${options.url} as ${options.username}`,
        );
        return createClient(options);
      },
      { info: detail, warn: (line) => node.warn(redactor.redact(line)) },
      { connectOnStart: config.connectOnStart !== false },
    );

    (node as { hub: ConnectionHub }).hub = hub;
    (node as { route: PasswordRoute }).route = routeOf(config, (text) => substituteEnv(RED, node, text));
    node.redact = (text) => redactor.redact(text);
    node.reconfigure = (values: unknown) => {
      const changes = parseReconfiguration(values, (key) => RED._(`avaya-analytics-server.errors.${key}`));
      const options = clientOptions(changes); // throws for unusable values, before anything changes
      overrides = { ...overrides, ...changes };
      hub.reconfigure({
        url: options.url,
        tenant: options.tenant ?? '0',
        username: options.username,
        password: options.password,
      });
      node.log(RED._('avaya-analytics-server.info.reconfigured', { names: Object.keys(changes).join(', ') }));
    };
    node.causeText = (cause) => translateCause(RED, cause);
    node.register = (user: HubUser) => hub.register(user);
    node.deregister = (user: HubUser, removed: boolean, done: () => void) => {
      hub.deregister(user, removed).then(done, (err: unknown) => {
        node.warn(redactor.redact(err instanceof Error ? err.message : String(err)));
        done();
      });
    };

    // After a redeploy, drop the subscriptions of stopped nodes that no replacement adopted.
    const onFlowsStarted = (): void => {
      void hub.sweep();
    };
    const listeners = new NodeListeners();
    listeners.onEvent(RED.events, 'flows:started', onFlowsStarted);

    node.on('close', (_removed: boolean, done: () => void) => {
      listeners.removeAll();
      hub.close().then(done, (err: unknown) => {
        node.warn(redactor.redact(err instanceof Error ? err.message : String(err)));
        done();
      });
    });
  }

  RED.nodes.registerType(SERVER_TYPE, AvayaAnalyticsServer, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
    },
  });
  registerAdminRoutes(RED);
};
