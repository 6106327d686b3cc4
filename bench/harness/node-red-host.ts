// Node-RED from the devDependency, embedded in this process (RED.init + RED.start, no editor, no
// HTTP): a throwaway user dir holds the package (a symlink to this repo, so dist/ is what loads),
// the bench-sink node, the flow and its credentials (stored in clear: credentialSecret false).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export interface NodeRedHost {
  getNode(id: string): Record<string, unknown> | null;
  stop(): Promise<void>;
}

interface RedApi {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: { getNode(id: string): Record<string, unknown> | null };
  events: { once(event: string, listener: () => void): void };
}

const REPO = path.resolve(__dirname, '..', '..', '..');
const SINK_HTML = `<script type="text/javascript">
RED.nodes.registerType('bench-sink', { category: 'output', defaults: {}, inputs: 1, outputs: 0, label: 'bench sink' });
</script>
`;
const FLOOR_HTML = `<script type="text/javascript">
RED.nodes.registerType('bench-parse', { category: 'input', defaults: { endpoint: {}, redirects: {} }, inputs: 0, outputs: 1, label: 'bench parse' });
RED.nodes.registerType('bench-pass', { category: 'function', defaults: {}, inputs: 1, outputs: 1, label: 'bench pass' });
</script>
`;

export async function startNodeRed(flow: object[], credentials: Record<string, object>): Promise<NodeRedHost> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-bench-'));
  const scope = path.join(userDir, 'node_modules', '@realtime-cc');
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(REPO, path.join(scope, 'node-red-avaya-analytics'), 'dir');
  fs.mkdirSync(path.join(userDir, 'nodes'));
  fs.writeFileSync(
    path.join(userDir, 'nodes', 'bench-sink.js'),
    `module.exports = require(${JSON.stringify(path.join(__dirname, 'sink-node.js'))});\n`,
  );
  fs.writeFileSync(path.join(userDir, 'nodes', 'bench-sink.html'), SINK_HTML);
  fs.writeFileSync(
    path.join(userDir, 'nodes', 'bench-floor.js'),
    `module.exports = require(${JSON.stringify(path.join(__dirname, 'floor-nodes.js'))});\n`,
  );
  fs.writeFileSync(path.join(userDir, 'nodes', 'bench-floor.html'), FLOOR_HTML);
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red') as RedApi;
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
  });
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<void>((resolve, reject) => {
    RED.events.once('flows:started', resolve);
    timer = setTimeout(() => reject(new Error('the flow did not start within 30 s (see the log above)')), 30_000);
  });
  await RED.start();
  await started.finally(() => clearTimeout(timer));
  return {
    getNode: (id) => RED.nodes.getNode(id),
    async stop() {
      await RED.stop();
      server.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
