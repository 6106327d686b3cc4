// Which HTTP proxy (if any) a URL goes through. One decision for REST (undici ProxyAgent) and the
// WebSocket (a CONNECT tunnel, stream/proxy-tunnel.ts), so both always take the same way.
//
// Two sources, as Node-RED's core nodes have them (@node-red/nodes core/network/lib/proxyHelper.js):
//  - 'env': HTTPS_PROXY for https:// and wss://, HTTP_PROXY for http:// and ws:// (lower case first,
//    then upper case), ALL_PROXY as the fallback; NO_PROXY / no_proxy lists the hosts that bypass it.
//  - an explicit proxy (Node-RED's `http proxy` config node): its URL, no-proxy list and credentials.
//    The environment is then not consulted at all.
// NO_PROXY entries: "host", "host:port", ".domain" or "*.domain" (suffix), "*" (nothing is proxied).
// Credentials (from the config node, or user:pass@ in the URL) become a Basic Proxy-Authorization
// header; the proxy's `display` form never contains them.
import type { ProxyOptions } from './api';

export interface ResolvedProxy {
  /** The proxy's origin, e.g. http://10.0.0.1:3128 (no credentials). */
  origin: string;
  /** For messages: the same as origin. */
  display: string;
  /** "Basic …" when the proxy needs credentials. */
  authorization?: string;
  /** The password (for the redactor), when there is one. */
  password?: string;
}

export type ProxySetting = ProxyOptions | 'env' | 'none' | undefined;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

export class ProxyResolver {
  private readonly explicit: ResolvedProxy | null;
  private readonly noProxy: string[];

  constructor(
    private readonly setting: ProxySetting,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    if (setting && typeof setting === 'object') {
      this.explicit = parseProxyUrl(setting.url, setting.username, setting.password);
      this.noProxy = normalizeList(setting.noProxy ?? []);
    } else {
      this.explicit = null;
      this.noProxy = setting === 'env' ? normalizeList((getEnv(this.env, 'no_proxy') ?? '').split(/[\s,]+/)) : [];
    }
  }

  /** Every secret a proxy of this setting may carry (for the redactor). */
  secrets(): string[] {
    const out: string[] = [];
    const add = (p: ResolvedProxy | null): void => {
      if (p?.password) out.push(p.password);
      if (p?.authorization) out.push(p.authorization.replace(/^Basic /, ''));
    };
    if (this.explicit) add(this.explicit);
    else if (this.setting === 'env')
      for (const name of ['https_proxy', 'http_proxy', 'all_proxy']) add(tryParse(getEnv(this.env, name)));
    return out;
  }

  /** The proxy for `url`, or null when it goes direct. */
  forUrl(url: string): ResolvedProxy | null {
    if (this.setting === undefined || this.setting === 'none') return null;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const port = Number(u.port) || DEFAULT_PORTS[u.protocol] || 0;
    if (!shouldProxy(host, port, this.noProxy)) return null;
    if (this.explicit) return this.explicit;
    const secure = u.protocol === 'https:' || u.protocol === 'wss:';
    const raw = getEnv(this.env, secure ? 'https_proxy' : 'http_proxy') ?? getEnv(this.env, 'all_proxy');
    return tryParse(raw);
  }
}

/** Lower case first, then upper case, as Node-RED's proxy helper; empty counts as unset. */
function getEnv(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name.toLowerCase()] || env[name.toUpperCase()];
  return v ? v : undefined;
}

function tryParse(raw: string | undefined): ResolvedProxy | null {
  if (!raw) return null;
  try {
    return parseProxyUrl(raw);
  } catch {
    return null;
  }
}

/** Parses a proxy URL ("host:port" gets http://); credentials given separately win over user:pass@. */
export function parseProxyUrl(raw: string, username?: string, password?: string): ResolvedProxy {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TypeError('proxy.url is not a valid URL (expected e.g. http://proxy.example.com:3128)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError('proxy.url must be http:// or https://');
  const user = username || decodeURIComponent(u.username);
  const pass = password || decodeURIComponent(u.password);
  const origin = `${u.protocol}//${u.host}`;
  const out: ResolvedProxy = { origin, display: origin };
  if (user || pass) {
    out.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    if (pass) out.password = pass;
  }
  return out;
}

function normalizeList(entries: string[]): string[] {
  return entries.map((e) => e.trim().toLowerCase()).filter(Boolean);
}

/** NO_PROXY matching as Node-RED's proxy helper (strict mode). */
export function shouldProxy(host: string, port: number, noProxy: string[]): boolean {
  if (noProxy.length === 0) return true;
  if (noProxy.includes('*')) return false;
  return noProxy.every((entry) => {
    const m = /^(.+):(\d+)$/.exec(entry);
    let name = m ? (m[1] as string) : entry;
    const entryPort = m ? Number(m[2]) : 0;
    if (entryPort && entryPort !== port) return true;
    name = name.replace(/^\[|\]$/g, '');
    if (!/^[.*]/.test(name)) return host !== name;
    if (name.startsWith('*')) name = name.slice(1);
    return !host.endsWith(name) && host !== name.replace(/^\./, '');
  });
}
