// Reading the example flows (examples/*.json) and preparing them for a test deployment.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const EXAMPLES_DIR = resolve(__dirname, '..', '..', '..', 'examples');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flow JSON as the examples hold it
export type FlowNode = Record<string, any> & { id: string; type: string };

export interface ExampleFile {
  file: string;
  nodes: FlowNode[];
}

/** What the editor's Import ▸ Examples menu reads: the examples Node-RED found in the installed package. */
export async function fetchExamples(nodeRedUrl: string, module: string): Promise<ExampleFile[]> {
  const base = `${nodeRedUrl}/library/examples/flows/${module}`;
  const list = (await (await fetch(`${base}/`)).json()) as Array<{ fn?: string }>;
  const out: ExampleFile[] = [];
  for (const { fn } of list) {
    if (!fn) continue;
    const res = await fetch(`${base}/${encodeURIComponent(fn)}`);
    if (res.status !== 200) throw new Error(`GET ${base}/${fn}: HTTP ${res.status}`);
    out.push({ file: `${fn}.json`, nodes: (await res.json()) as FlowNode[] });
  }
  return out;
}

export function readExamples(): ExampleFile[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, nodes: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as FlowNode[] }));
}

export interface Target {
  restUrl: string;
  caPem: string;
  username: string;
  password: string;
  /** Seconds; the examples say 8 (the guide), a test may want faster stale detection. */
  heartbeat?: number;
  /** Tab environment variables to replace, by name. */
  env?: Record<string, string>;
}

/**
 * One flow of all examples, as a user would get by importing each and filling in the server node:
 * the shared config nodes once, the server URL and credentials, the CA as uploaded data of the TLS
 * node, and the given tab environment variables. Throws if two examples disagree about a shared node.
 */
export function deployable(examples: ExampleFile[], target: Target): FlowNode[] {
  const byId = new Map<string, FlowNode>();
  for (const { file, nodes } of examples) {
    for (const node of nodes) {
      const seen = byId.get(node.id);
      if (seen && JSON.stringify(seen) !== JSON.stringify(node))
        throw new Error(`${file}: node ${node.id} differs from the one of an earlier example`);
      byId.set(node.id, node);
    }
  }
  return [...byId.values()].map((original) => {
    const node: FlowNode = structuredClone(original);
    if (node.type === 'avaya-analytics-server') {
      node.url = target.restUrl;
      if (target.heartbeat !== undefined) node.heartbeat = target.heartbeat;
      node.credentials = { username: target.username, password: target.password };
    } else if (node.type === 'tls-config') {
      node.credentials = { cadata: target.caPem };
    } else if (node.type === 'tab' && Array.isArray(node.env)) {
      for (const variable of node.env as Array<{ name: string; value: unknown }>)
        if (target.env && Object.hasOwn(target.env, variable.name)) variable.value = target.env[variable.name];
    }
    return node;
  });
}
