// Debian's Mosquitto for the broker tests, the demo and the bench: started on a free loopback port with a
// generated config (anonymous, no persistence), stopped by close(). No in-process broker stands in for it.
// And a small MQTT client from MQTT.js as Node-RED ships it (no devDependency of our own).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../compat/node-red-process.js';
import { requireFromNodeRed } from '../compat/node-red.js';

/** Where Debian puts it (/usr/sbin is not on every user's PATH); null when not installed. */
export function mosquittoPath(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  const found = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : null;
}

export interface Mosquitto {
  port: number;
  /** mqtt://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  output(): string;
  close(): Promise<void>;
}

async function listening(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error('mosquitto exited');
    const ok = await new Promise<boolean>((res) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(options: { port?: number } = {}): Promise<Mosquitto> {
  const bin = mosquittoPath();
  if (bin === null) throw new Error('mosquitto is not installed (Debian: apt-get install mosquitto mosquitto-clients)');
  const dir = await mkdtemp(join(tmpdir(), 'aa-mosquitto-'));
  const port = options.port ?? (await freePort());
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stdout', 'log_type error', 'log_type warning', 'max_queued_messages 100000', ''].join('\n'));
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const close = async (): Promise<void> => {
    if (!exited()) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await listening(port, 10_000, exited);
  } catch (err) {
    await close();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { port, url: `mqtt://127.0.0.1:${port}`, child, output: () => output, close };
}

// ---- the client side -------------------------------------------------------------------------------

export interface MqttPacketLike {
  retain: boolean;
  properties?: { userProperties?: Record<string, string | string[]>; messageExpiryInterval?: number };
}
export interface MqttClientLike {
  on(event: 'message', fn: (topic: string, payload: Buffer, packet: MqttPacketLike) => void): void;
  on(event: string, fn: (...args: any[]) => void): void;
  subscribeAsync(topic: string | string[], opts?: { qos?: 0 | 1 | 2 }): Promise<unknown>;
  publishAsync(topic: string, payload: string | Buffer, opts?: { qos?: 0 | 1 | 2; retain?: boolean; properties?: Record<string, unknown> }): Promise<unknown>;
  endAsync(force?: boolean): Promise<void>;
}

/** An MQTT.js client, connected. */
export async function mqttClient(url: string, options: Record<string, unknown> = {}): Promise<MqttClientLike> {
  const mqtt = requireFromNodeRed<{ connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttClientLike> }>('mqtt');
  return mqtt.connectAsync(url, { reconnectPeriod: 0, ...options });
}

/**
 * The retained state of a topic tree as a subscriber sees it: topic → latest payload, a topic removed when an
 * empty payload arrives; and every message counted, so a test can tell what was published when.
 */
export class TopicMirror {
  readonly topics = new Map<string, string>();
  readonly log: Array<{ topic: string; payload: string; retain: boolean; userProperties?: Record<string, string | string[]>; at: number }> = [];

  constructor(readonly client: MqttClientLike) {
    client.on('message', (topic: string, payload: Buffer, packet: MqttPacketLike) => {
      const text = payload.toString('utf8');
      this.log.push({ topic, payload: text, retain: packet.retain, userProperties: packet.properties?.userProperties, at: Date.now() });
      if (text === '') this.topics.delete(topic);
      else this.topics.set(topic, text);
    });
  }

  static async open(url: string, filter: string | string[], options: Record<string, unknown> = {}): Promise<TopicMirror> {
    const client = await mqttClient(url, options);
    const mirror = new TopicMirror(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return mirror;
  }

  /** Messages logged since index `from` whose topic starts with `prefix`. */
  since(from: number, prefix = ''): TopicMirror['log'] {
    return this.log.slice(from).filter((m) => m.topic.startsWith(prefix));
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
