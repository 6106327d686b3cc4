// The broker tests' side of MQTT: Mosquitto as scripts/mosquitto.ts starts it (a real broker on a free
// loopback port, no in-process stand-in), and a small client from MQTT.js as Node-RED ships it (no
// devDependency of our own).
import { requireFromNodeRed } from './node-red-selection';

export { mosquittoPath, startMosquitto, type Mosquitto } from '../../scripts/mosquitto';

// ---- the client side -------------------------------------------------------------------------------

export interface MqttPacketLike {
  retain: boolean;
  properties?: { userProperties?: Record<string, string | string[]>; messageExpiryInterval?: number };
}
export interface MqttClientLike {
  on(event: 'message', fn: (topic: string, payload: Buffer, packet: MqttPacketLike) => void): void;
  on(event: string, fn: (...args: never[]) => void): void;
  subscribeAsync(topic: string | string[], opts?: { qos?: 0 | 1 | 2 }): Promise<unknown>;
  publishAsync(
    topic: string,
    payload: string | Buffer,
    opts?: { qos?: 0 | 1 | 2; retain?: boolean; properties?: Record<string, unknown> },
  ): Promise<unknown>;
  endAsync(force?: boolean): Promise<void>;
}

/** An MQTT.js client, connected. */
export async function mqttClient(url: string, options: Record<string, unknown> = {}): Promise<MqttClientLike> {
  const mqtt = requireFromNodeRed<{
    connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttClientLike>;
  }>('mqtt');
  return mqtt.connectAsync(url, { reconnectPeriod: 0, ...options });
}

/**
 * The retained state of a topic tree as a subscriber sees it: topic → latest payload, a topic removed when an
 * empty payload arrives; and every message counted, so a test can tell what was published when.
 */
export class TopicMirror {
  readonly topics = new Map<string, string>();
  readonly log: Array<{
    topic: string;
    payload: string;
    retain: boolean;
    userProperties?: Record<string, string | string[]>;
    at: number;
  }> = [];

  constructor(readonly client: MqttClientLike) {
    client.on('message', (topic: string, payload: Buffer, packet: MqttPacketLike) => {
      const text = payload.toString('utf8');
      this.log.push({
        topic,
        payload: text,
        retain: packet.retain,
        userProperties: packet.properties?.userProperties,
        at: Date.now(),
      });
      if (text === '') this.topics.delete(topic);
      else this.topics.set(topic, text);
    });
  }

  static async open(
    url: string,
    filter: string | string[],
    options: Record<string, unknown> = {},
  ): Promise<TopicMirror> {
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
