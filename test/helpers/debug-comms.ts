// Reads what debug nodes send to the editor's debug sidebar: Node-RED's admin WebSocket (/comms),
// topic "debug". Each message names the debug node (data.id) and carries the msg encoded as the
// sidebar receives it: an object as JSON text (format "Object", "array[n]"…), a string as is.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

export interface DebugMessage {
  /** The debug node's id. */
  id: string;
  name: string;
  /** The decoded value the debug node showed (a msg property or the whole msg). */
  value: unknown;
}

interface CommsDebugData {
  id: string;
  name?: string;
  msg: string;
  format: string;
}

function decode(data: CommsDebugData): unknown {
  if (data.format.startsWith('string')) return data.msg;
  if (data.format === 'number') return Number(data.msg);
  if (data.format === 'boolean') return data.msg === 'true';
  if (data.format === 'null') return null;
  if (data.format === 'undefined') return undefined;
  return JSON.parse(data.msg);
}

export class DebugComms extends EventEmitter {
  readonly messages: DebugMessage[] = [];

  private constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (raw) => {
      let batch: Array<{ topic: string; data: CommsDebugData }>;
      try {
        batch = JSON.parse((raw as Buffer).toString()) as Array<{ topic: string; data: CommsDebugData }>;
      } catch {
        return;
      }
      for (const { topic, data } of Array.isArray(batch) ? batch : []) {
        if (topic !== 'debug' || !data || typeof data.id !== 'string') continue;
        const message = { id: data.id, name: data.name ?? '', value: decode(data) };
        this.messages.push(message);
        this.emit('debug', message);
      }
    });
  }

  /** `baseUrl` of Node-RED's admin API, e.g. http://127.0.0.1:1880 (no adminAuth). */
  static connect(baseUrl: string): Promise<DebugComms> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/comms`);
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => undefined); // a late error after close is of no interest to the test
        ws.send(JSON.stringify({ subscribe: 'debug' }));
        resolve(new DebugComms(ws));
      });
    });
  }

  /** Values shown so far by debug node `id`. */
  valuesOf(id: string): unknown[] {
    return this.messages.filter((m) => m.id === id).map((m) => m.value);
  }

  /** The first value (past or future) of debug node `id` that `pick` accepts. */
  waitFor<T>(id: string, pick: (value: unknown) => T | undefined, timeoutMs = 20_000): Promise<T> {
    for (const m of this.messages) {
      if (m.id !== id) continue;
      const hit = pick(m.value);
      if (hit !== undefined) return Promise.resolve(hit);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('debug', listener);
        const seen = this.valuesOf(id).slice(-3);
        reject(
          new Error(
            `timeout after ${timeoutMs} ms waiting on debug node ${id}; last values: ${JSON.stringify(seen).slice(0, 1500)}`,
          ),
        );
      }, timeoutMs);
      const listener = (m: DebugMessage): void => {
        if (m.id !== id) return;
        const hit = pick(m.value);
        if (hit === undefined) return;
        clearTimeout(timer);
        this.off('debug', listener);
        resolve(hit);
      };
      this.on('debug', listener);
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
