// Routes the client's log lines to the config node's log (so they carry the node id and honour the
// runtime's log level). The "verbose" switch raises detail by one level: debug lines become info
// and trace lines become debug, which is what someone chasing a connection problem wants to see
// without changing the runtime's level for every other node.
import type { Logger } from '../../lib/api';
import type { Redactor } from '../../lib/redact';
import type { Node } from '../shared/node-red';

export function nodeLogger(node: Node, verbose: boolean, redactor: Redactor): Logger {
  // The client redacts its own lines; this second pass also covers anything composed here.
  const clean = (line: string): string => redactor.redact(line);
  return {
    error: (line) => node.error(clean(line)),
    warn: (line) => node.warn(clean(line)),
    info: (line) => node.log(clean(line)),
    debug: verbose ? (line) => node.log(clean(line)) : (line) => node.debug(clean(line)),
    trace: verbose ? (line) => node.debug(clean(line)) : (line) => node.trace(clean(line)),
  };
}
