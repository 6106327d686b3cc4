// Node-RED from the devDependency, embedded in this process by the project's one launcher
// (scripts/node-red-process.ts embedNodeRed: RED.init + RED.start, no editor, no HTTP): a throwaway user dir
// holds the package (a symlink to this repo, so dist/ is what loads), the bench-sink node, the flow and its
// credentials (stored in clear: credentialSecret false).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { embedNodeRed, linkPackage } from '../../scripts/node-red-process';

export interface NodeRedHost {
  getNode(id: string): Record<string, unknown> | null;
  stop(): Promise<void>;
}

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
  linkPackage(userDir);
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

  const host = await embedNodeRed(userDir, {
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
  });
  return {
    getNode: (id) => host.red.nodes.getNode(id),
    async stop() {
      await host.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
