// Environment variables in text fields. Node-RED itself replaces a property whose whole value is
// ${VAR} before the node is created, but not credentials and not ${VAR} embedded in longer text
// (https://${HOST}/orca-streams-rest). This does both, resolving names the way the runtime does
// (flow, group and global env, then process.env, honouring settings.envVarExcludes).
import { textOf } from './text';
import type { Node, NodeRedApi } from './node-red';

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces every ${NAME} in `value`; unknown names become empty strings, like the runtime does. */
export function substituteEnv(RED: NodeRedApi, node: Node | null, value: string): string {
  if (!value.includes('${')) return value;
  return value.replace(ENV_REF, (_match, name: string) => {
    const resolved = RED.util.getSetting(node, name);
    return textOf(resolved);
  });
}
