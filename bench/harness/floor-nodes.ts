// The Node-RED floor: what any two-hop Node-RED pipeline costs before it does any work of its own.
//   bench-parse: a bare ws client (like the limit) that JSON.parses each frame and sends
//                { topic, payload: realtimeData } — one msg per frame, as a subscribe node would;
//   bench-pass:  sends every msg on unchanged, with done() — the hop a state node would be;
// then bench-sink. Loaded through the receiver's nodesDir (see node-red-host.ts).
import WebSocket from 'ws';

interface FloorRed {
  nodes: {
    createNode(node: object, config: object): void;
    registerType(type: string, ctor: (this: FloorNode, config: FloorConfig) => void): void;
  };
}
interface FloorConfig {
  endpoint?: string;
  redirects?: string[];
}
interface FloorNode {
  send(msg: object): void;
  error(err: unknown): void;
  on(event: 'input', handler: (msg: object, send: (msg: object) => void, done: () => void) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
}

export = function registerFloor(RED: FloorRed): void {
  RED.nodes.registerType('bench-parse', function (this: FloorNode, config: FloorConfig) {
    RED.nodes.createNode(this, config);
    const ws = new WebSocket(config.endpoint ?? '', { perMessageDeflate: false, maxPayload: 1 << 20 });
    const heartbeat = setInterval(() => ws.send('--heartbeat--'), 8000);
    ws.on('open', () => {
      for (const r of config.redirects ?? []) ws.send(r);
    });
    ws.on('error', (err) => this.error(err));
    ws.on('message', (data: Buffer) => {
      if (data.length === 13 && data.toString() === '--heartbeat--') {
        ws.send('--heartbeat--');
        return;
      }
      const frame = JSON.parse(data as unknown as string) as {
        heartbeat?: boolean;
        realtimeData?: Record<string, unknown>;
        producerId?: string;
      };
      if (frame.heartbeat === true) return;
      this.send({ topic: frame.producerId, payload: frame.realtimeData });
    });
    this.on('close', (_removed, done) => {
      clearInterval(heartbeat);
      ws.terminate();
      done();
    });
  });
  RED.nodes.registerType('bench-pass', function (this: FloorNode, config: FloorConfig) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => {
      send(msg);
      done();
    });
  });
};
