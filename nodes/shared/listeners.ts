// Every listener a node adds to something that outlives it (the shared client, a subscription, RED.events),
// held in one place and removed together, as home-assistant-websocket's EventsContainer does: a node cannot
// forget one on close, and a redeploy leaves no listener of a stopped node behind.
import type { EventEmitter } from 'node:events';
import type { EventMap, TypedEmitter } from '../../lib/typed-emitter';

type AnyListener = (...args: unknown[]) => void;

export class NodeListeners {
  private readonly removers: Array<() => void> = [];

  /** Adds a listener to a typed emitter (the client, a subscription) until removeAll(). */
  on<E extends EventMap, K extends keyof E & string>(emitter: TypedEmitter<E>, event: K, listener: E[K]): void {
    this.add(emitter as unknown as EventEmitter, event, listener as unknown as AnyListener);
  }

  /** Adds a listener to an untyped emitter (RED.events) until removeAll(). */
  onEvent(emitter: EventEmitter, event: string, listener: AnyListener): void {
    this.add(emitter, event, listener);
  }

  /** Removes every listener added so far. */
  removeAll(): void {
    for (const remove of this.removers.splice(0)) remove();
  }

  get size(): number {
    return this.removers.length;
  }

  private add(emitter: EventEmitter, event: string, listener: AnyListener): void {
    emitter.on(event, listener);
    this.removers.push(() => emitter.removeListener(event, listener));
  }
}
