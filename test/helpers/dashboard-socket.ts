// A minimal socket.io client of a Dashboard 2 page, for tests: it receives what a browser receives
// (the ui-config, then one `msg-input:<widget id>` event per msg sent to a widget). Dashboard 2
// refuses sockets that open directly as WebSocket, and socket.io-client is no dependency of this
// package, so this speaks the Engine.IO v4 long-polling transport over fetch:
//   GET  ?EIO=4&transport=polling           -> "0{sid, pingInterval,…}"   (open)
//   POST ?…&sid=S  body "40"                 -> connect to namespace "/"
//   GET  ?…&sid=S                            -> packets joined by \x1e: "40{…}", "42[event, …args]", "2" (ping)
//   POST "3" answers a ping, POST "1" closes.
import { EventEmitter } from 'node:events';

const SEPARATOR = '\x1e';

export interface SocketEvent {
  name: string;
  args: unknown[];
}

export class DashboardSocket extends EventEmitter {
  private readonly url: string;
  private readonly abort = new AbortController();
  private closed = false;
  private polling: Promise<void> = Promise.resolve();
  /** Every event received so far, oldest first. */
  readonly received: SocketEvent[] = [];

  private constructor(base: string, sid: string) {
    super();
    this.url = `${base}&sid=${encodeURIComponent(sid)}`;
  }

  /** `socketPath` e.g. http://127.0.0.1:1880/dashboard/socket.io */
  static async connect(socketPath: string): Promise<DashboardSocket> {
    const base = `${socketPath}/?EIO=4&transport=polling`;
    const res = await fetch(base);
    const open = await res.text();
    if (res.status !== 200 || !open.startsWith('0'))
      throw new Error(`Engine.IO handshake failed: HTTP ${res.status} ${open.slice(0, 200)}`);
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const socket = new DashboardSocket(base, sid);
    await socket.post('40');
    socket.polling = socket.poll();
    return socket;
  }

  /** Resolves with the first event (past or future) for which `pick` returns a value. */
  waitFor<T>(what: string, pick: (event: SocketEvent) => T | undefined, timeoutMs = 30_000): Promise<T> {
    for (const event of this.received) {
      const value = pick(event);
      if (value !== undefined) return Promise.resolve(value);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('event', listener);
        reject(new Error(`timeout after ${timeoutMs} ms waiting for ${what} on the dashboard socket`));
      }, timeoutMs);
      const listener = (event: SocketEvent): void => {
        const value = pick(event);
        if (value === undefined) return;
        clearTimeout(timer);
        this.off('event', listener);
        resolve(value);
      };
      this.on('event', listener);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.post('1').catch(() => undefined); // the server may be gone already
    this.abort.abort();
    await this.polling;
  }

  private async post(body: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    await res.text();
    if (res.status !== 200) throw new Error(`Engine.IO POST failed: HTTP ${res.status}`);
  }

  private async poll(): Promise<void> {
    while (!this.closed) {
      let text: string;
      try {
        const res = await fetch(this.url, { signal: this.abort.signal });
        text = await res.text();
        if (res.status !== 200) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
      } catch (err) {
        if (!this.closed) this.emit('failed', err);
        return;
      }
      for (const packet of text.split(SEPARATOR)) await this.handle(packet);
    }
  }

  private async handle(packet: string): Promise<void> {
    if (packet === '2') {
      await this.post('3').catch(() => undefined);
    } else if (packet.startsWith('42')) {
      const [name, ...args] = JSON.parse(packet.slice(2)) as [string, ...unknown[]];
      const event = { name, args };
      this.received.push(event);
      this.emit('event', event);
    } else if (packet === '1' || packet.startsWith('41')) {
      this.closed = true;
    }
  }
}
