// The configuration of every node type in this release: its `version` and the defaults of its
// editor definition (nodes/<type>/<type>.html `defaults`, which a test keeps in step with these).
// A node created from a flow of an older release is upgraded with these (see upgrade.ts). When a
// release adds or changes a property: add it to the .html defaults and here, raise `version` in
// both, and add an UpgradeStep if an old value must be translated rather than defaulted.
import { DEFAULTS } from '../../lib/options';
import {
  DEFAULT_FAULT_RETRY_MAX_S,
  DEFAULT_HEARTBEAT_S,
  DEFAULT_REQUEST_TIMEOUT_S,
} from '../avaya-analytics-server/client-options';
import type { ConfigSchema } from './upgrade';

export const CONFIG_SCHEMAS = {
  'avaya-analytics-server': {
    // 2: streamHosts, requestTimeout, faultRetryMax (defaults keep version 1's behaviour safe: no step).
    // 3: connectOnStart (default true: what earlier versions did) and proxy (an http proxy config node;
    //    empty keeps the old behaviour apart from the environment's proxy). No step: defaults.
    // 4: allowCleartext (default false: an http:// URL is refused). No step on purpose: an http:// URL of an
    //    older flow is refused too, with a status that says how to allow it, rather than kept in clear text.
    version: 4,
    defaults: {
      name: '',
      url: '',
      tenant: DEFAULTS.tenant,
      tls: '',
      proxy: '',
      heartbeat: DEFAULT_HEARTBEAT_S,
      tokenVerification: 'none',
      tokenKey: '',
      jwksUrl: '',
      verbose: false,
      streamHosts: '',
      requestTimeout: DEFAULT_REQUEST_TIMEOUT_S,
      faultRetryMax: DEFAULT_FAULT_RETRY_MAX_S,
      connectOnStart: true,
      allowCleartext: false,
    },
  },
  'avaya-analytics-subscribe': {
    // 2: lifecycle ('inband': the lifecycle events on output 1 too). A node saved by release 0.1.0 gets
    //    'legacy': in-band only when output 1 feeds a state node (see lifecycle-output.ts).
    version: 2,
    defaults: {
      name: '',
      server: '',
      producer: '',
      source: '',
      emitPumpup: true,
      controlOutput: false,
      lifecycle: 'inband',
      outputs: 1,
    },
    steps: [
      {
        to: 2,
        upgrade(config: Record<string, unknown>): void {
          if (config.lifecycle === undefined) config.lifecycle = 'legacy';
        },
      },
    ],
  },
  'avaya-analytics-dimdata': {
    version: 1,
    defaults: { name: '', server: '', kind: 'Agent' },
  },
  'avaya-analytics-dictionary': {
    version: 1,
    defaults: { name: '', server: '', producer: '', locale: 'en-us' },
  },
  'avaya-analytics-state': {
    version: 1,
    defaults: {
      name: '',
      emit: 'all',
      measures: '',
      maxEntities: 100000,
      derived: true,
      persist: 'none',
      store: '',
      persistKey: '',
      persistInterval: 5,
    },
  },
  'avaya-analytics-alert': {
    version: 1,
    defaults: { name: '', server: '', producer: '', rules: [], lang: '', store: '' },
  },
  'avaya-analytics-mqtt': {
    version: 1,
    defaults: { name: '', prefix: 'avaya/default', collector: '', qos: 1, deltas: false, mqtt5: false, expiry: 60 },
  },
} as const satisfies Record<string, ConfigSchema>;

export type NodeType = keyof typeof CONFIG_SCHEMAS;
