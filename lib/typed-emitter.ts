// A typed view of node:events' EventEmitter, as MQTT.js types its client: an event map names each
// event and its listener's signature, so `client.on('state', (e) => …)` gives `e: StateEvent` and
// `sub.on('message', (m) => …)` gives `m: AnalyticsMessage`, and an unknown event name does not
// compile. It rests on @types/node's generic EventEmitter (still an EventEmitter: events.once() and
// friends accept it); there is no runtime code of its own.
import { EventEmitter } from 'node:events';

/** Event name → listener signature, e.g. `{ state: (e: StateEvent) => void }`. */
export type EventMap = Record<string, (...args: never[]) => void>;

/** An EventEmitter whose on/once/off/emit know the events of `E`. */
export type TypedEmitter<E extends EventMap> = EventEmitter<{ [K in keyof E]: Parameters<E[K]> }>;

/** The class to extend: `class X extends TypedEventEmitter<XEvents> {}`. */
export const TypedEventEmitter = EventEmitter as new <E extends EventMap>() => TypedEmitter<E>;
