// Finds the subscription a decoded frame belongs to on the one socket shared by every producer.
//  - Long form: by `producerId`.
//  - Short form (no producerId): by the dimension keys, compared case-insensitively with each
//    subscribed producer's declared dimension names (notes.md lists them).
// AgentGroup and RoutingServiceGroup both use `groupId`: when both are subscribed, the frame's measure
// names pick the producer that declares all of them; if that still leaves both (they share measures
// such as acwDuration), the route is AMBIGUOUS and the frame goes to every candidate: losing data
// silently is worse than a row the consumer can recognise (AnalyticsMessage.ambiguous, its entity key
// carries the producer id) and drop. The client counts these and warns once; the long envelope or
// subscribing to only one of the two avoids them.

import type { DecodedMessage } from './decode';
import type { ProducerSchema } from './producer-schema';
import { signatureOf } from './producer-schema';

export interface RouteTarget {
  readonly producerId: string;
  readonly schema: ProducerSchema;
}

const NONE: readonly never[] = Object.freeze([]);
const CACHE_LIMIT = 256;

export class FrameRouter<T extends RouteTarget> {
  private readonly byProducer = new Map<string, T>();
  // Wire key list (in wire order, as received) → candidates. Bounded: hostile frames could invent keys.
  private readonly cache = new Map<string, readonly T[]>();

  add(target: T): void {
    this.byProducer.set(target.producerId, target);
    this.cache.clear();
  }

  remove(target: T): void {
    if (this.byProducer.get(target.producerId) === target) this.byProducer.delete(target.producerId);
    this.cache.clear();
  }

  /** The schema of a target changed (descriptors arrived): routes by dimension must be recomputed. */
  invalidate(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.byProducer.size;
  }

  get(producerId: string): T | undefined {
    return this.byProducer.get(producerId);
  }

  /**
   * Every target the frame may belong to: none (unroutable), one, or several (ambiguous).
   * The returned array must not be modified.
   */
  route(msg: DecodedMessage): readonly T[] {
    if (msg.producerId !== null) {
      const target = this.byProducer.get(msg.producerId);
      return target ? [target] : NONE;
    }
    const candidates = this.byDimension(msg.dimension);
    return candidates.length > 1 ? this.narrowByMeasures(candidates, msg.realtimeData) : candidates;
  }

  /**
   * The one target a frame of this producerId (null: the short envelope) and dimension goes to, before its
   * measures are read; undefined when none or several (route() may still narrow those by the measures).
   */
  only(producerId: string | null, dimension: Record<string, string>): T | undefined {
    if (producerId !== null) return this.byProducer.get(producerId);
    const candidates = this.byDimension(dimension);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  private byDimension(dimension: Record<string, string>): readonly T[] {
    let wireKeys = '';
    for (const key in dimension) wireKeys = wireKeys === '' ? key : wireKeys + ',' + key;
    let hit = this.cache.get(wireKeys);
    if (hit === undefined) {
      const signature = signatureOf(Object.keys(dimension));
      const found: T[] = [];
      for (const target of this.byProducer.values()) if (target.schema.signature === signature) found.push(target);
      hit = found.length ? found : NONE;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(wireKeys, hit);
    }
    return hit;
  }

  /** Keeps the candidates that declare every measure of the frame, if that leaves at least one. */
  private narrowByMeasures(candidates: readonly T[], measures: Record<string, unknown>): readonly T[] {
    let kept: T[] | null = null;
    for (const target of candidates) {
      const types = target.schema.measureTypes;
      let all = true;
      for (const name in measures) {
        if (types[name] === undefined) {
          all = false;
          break;
        }
      }
      if (all) (kept ??= []).push(target);
    }
    return kept !== null && kept.length > 0 ? kept : candidates;
  }
}
