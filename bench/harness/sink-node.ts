// `bench-sink`: a Node-RED node that only counts (the end of the "ours" and "do-it-yourself" flows).
// Loaded through the receiver's nodesDir, so it shares the receiver's probe.
import { probe } from './probe';

interface SinkRed {
  nodes: {
    createNode(node: object, config: object): void;
    registerType(type: string, ctor: (this: SinkNode, config: object) => void): void;
  };
}
interface SinkNode {
  on(event: 'input', handler: (msg: { payload?: unknown }) => void): void;
}

export = function registerSink(RED: SinkRed): void {
  RED.nodes.registerType('bench-sink', function (this: SinkNode, config: object) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg) => probe.hit(msg.payload as Record<string, unknown> | undefined));
  });
};
