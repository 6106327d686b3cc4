// Ending streams and steering the connection: the guide's three-stage unsubscribe, the flow's
// msg.action connect / disconnect / reconnect, retryNow(), reconfigure() and the bounded shutdown of
// close().
import type { ClientReconfiguration } from '../api';
import { ClosedError, describeError } from '../errors';
import { resolveOptions } from '../options';
import { RestClient } from '../rest/rest-client';
import { makeCause } from './cause';
import { SchemaCache } from './schema-cache';
import { SocketLifecycle } from './socket-lifecycle';
import type { Channel } from './subscription';

/** A subscription the server holds, by what its DELETE names. */
interface HeldSubscription {
  sourceId: string;
  producerId: string;
}

export abstract class ConnectionControl extends SocketLifecycle {
  /**
   * After a new password alone: the former REST client, whose token still serves, and the subscriptions the
   * server held then. Kept until the new password proves good (the socket opens: closed) or is refused (the
   * former token deletes them: they count against the licence, and nothing could delete them any more).
   */
  private former: { rest: RestClient; held: HeldSubscription[] } | null = null;
  /** REST clients a reconfigure replaced, deleting what they held: close() ends them too. */
  private readonly retiring = new Set<RestClient>();

  retryNow(): void {
    if (this.closing) return;
    let due = this.table.retryRefused();
    this.cancelRefusalRetry();
    if (this.retryTimer) {
      this.cancelRetry();
      due = true;
    }
    if (due) void this.kick();
  }

  /**
   * Ends every stream on the server as the guide describes (unsubscriptionRedirect, DELETE), closes
   * the socket and stays down, retrying nothing, until connect(). Subscriptions keep their listeners:
   * connect() subscribes them again and a fresh pumpup follows.
   */
  async disconnect(reason = 'disconnected by flow'): Promise<void> {
    if (this.closing || this.stopped) return;
    this.stopped = true; // before any await: a kick() from now on does nothing
    this.epoch++;
    this.cancelRetry();
    this.cancelRefusalRetry();
    this.table.endPumpups();
    // A disconnect asked for while the host starts (Node-RED creating the flow's nodes) reports its
    // state in a later turn, when the listeners it reaches exist.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all(this.table.list().map((c) => this.endServerSide(c)));
    if (!this.stopped || this.closing) return; // connect() or close() came meanwhile
    this.table.stopped(reason);
    this.closeSocket(reason);
    this.setState('stopped', reason, { cause: makeCause('by-flow', reason) });
  }

  /** Ends a disconnect(), or retries now if the connection is merely waiting for its next attempt. */
  connect(): void {
    if (this.closing) return;
    if (!this.stopped) return this.retryNow();
    this.stopped = false;
    this.setState('connecting', 'connect requested');
    this.retryNow(); // refused subscriptions too
    if (!this.reconciling) void this.kick();
  }

  /** Drops the socket and connects again at once (a new login only if the token needs one). */
  reconnect(): void {
    if (this.closing) return;
    if (this.stopped) return this.connect();
    if (!this.socket && !this.table.hasWork()) return;
    this.lose('reconnect requested', null, makeCause('by-flow', 'reconnect requested'));
    this.retryNow();
  }

  /**
   * New URL, tenant or credentials (e.g. from a vault) for the running client: checked like the
   * constructor's (throws on a bad value, changing nothing), then a new REST client and token, and a
   * reconnect with the same subscriptions (still down after disconnect() until connect()).
   */
  reconfigure(changes: ClientReconfiguration): void {
    if (this.closing) return;
    const given = { ...this.given, ...changes };
    const next = resolveOptions(given);
    this.redactor.add(next.password);
    const old = this.restClient;
    // Another server, tenant or account: the subscriptions the old one holds count against its licence
    // (five per supervisor) until they are deleted there, so the old REST client deletes them before it
    // closes. (A new password alone keeps the account: the reconnect subscribes it again.)
    const moved = next.url !== this.o.url || next.tenant !== this.o.tenant || next.username !== this.o.username;
    const held = this.table
      .list()
      .filter((c) => c.response !== null)
      .map((c) => ({ sourceId: c.sourceId, producerId: c.producerId }));
    this.given = given;
    this.o = next;
    this.restClient = new RestClient(next, this.redactor);
    this.schemas = new SchemaCache((sourceId) => this.restClient.producers(sourceId));
    if (this.former === null && !moved && held.length > 0) {
      this.former = { rest: old, held };
    } else {
      // A former client still awaiting an earlier new password's verdict keeps the only token that serves, so it
      // stays, unless the account moved: then it deletes what it held too.
      void this.releaseOld(old, moved ? held : []);
      if (moved) void this.settleFormer(true);
    }
    // Another server may number its sources differently: the default source is learned again.
    for (const channel of this.table.list()) if (channel.requestedSourceId === undefined) channel.sourceId = '';
    if (!this.stopped) this.reconnect();
  }

  /** The new password's verdict: a socket opened with it (true) or the login refused it (false). */
  protected override setState(...args: Parameters<SocketLifecycle['setState']>): void {
    const [state] = args;
    if (state === 'connected') void this.settleFormer(false);
    else if (state === 'auth-failed') void this.settleFormer(true);
    super.setState(...args);
  }

  /**
   * Ends the former client of a password-only reconfigure, first deleting what it held when `release` (except
   * what `keep` says the current client holds again: it deletes those itself).
   */
  private settleFormer(release: boolean, keep: (held: HeldSubscription) => boolean = () => false): Promise<void> {
    const former = this.former;
    if (former === null) return Promise.resolve();
    this.former = null;
    return this.releaseOld(former.rest, release ? former.held.filter((h) => !keep(h)) : []);
  }

  /** Deletes subscriptions on the server a reconfigure left (best effort, logged), then closes its REST client. */
  private async releaseOld(old: RestClient, subscriptions: HeldSubscription[]): Promise<void> {
    this.retiring.add(old);
    try {
      for (const { sourceId, producerId } of subscriptions) {
        try {
          await old.unsubscribe(sourceId, producerId);
        } catch (err) {
          if (!(err instanceof ClosedError))
            this.warn(`unsubscribing ${producerId} from the former server: ${this.redact(describeError(err))}`);
        }
      }
    } finally {
      this.retiring.delete(old);
      await old.close().catch(() => undefined);
    }
  }

  /** The guide's three stages: unsubscriptionRedirect, REST DELETE, close the socket when none is left. */
  protected async dropChannel(channel: Channel): Promise<void> {
    this.table.remove(channel);
    await this.endServerSide(channel);
    if (this.closing) return;
    if (!this.table.hasWork()) {
      // Stage three: nothing left to stream (refused subscriptions do not need a socket).
      this.epoch++;
      this.cancelRetry();
      this.closeSocket('no subscription left');
      this.setState('idle', this.table.failureSummary() ?? 'no subscription left');
    } else {
      this.updateReadiness();
    }
  }

  /** Stages one and two for a channel the server holds: unsubscriptionRedirect, REST DELETE. */
  private async endServerSide(channel: Channel): Promise<void> {
    const hadSubscription = channel.response !== null;
    this.unsubscribing++;
    try {
      if (hadSubscription && this.socket?.isOpen) await this.sendRedirect(channel, 'unsubscriptionRedirect');
      if (hadSubscription) await this.restClient.unsubscribe(channel.sourceId, channel.producerId);
    } catch (err) {
      if (!(err instanceof ClosedError))
        this.warn(`unsubscribing ${channel.producerId}: ${this.redact(describeError(err))}`);
    } finally {
      this.unsubscribing--;
      channel.response = null;
    }
  }

  /** close(): best-effort unsubscribes bounded by closeTimeoutMs, then the socket, then REST. */
  protected async shutdown(): Promise<void> {
    this.cancelRetry();
    this.cancelRefusalRetry();
    this.input.dispose();
    const channels = this.table.list();
    const members = channels.flatMap((c) => [...c.members]);
    let timer: ReturnType<typeof this.clock.setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, this.o.closeTimeoutMs);
    });
    // A new password still awaiting its verdict: the former token deletes what the current client does not hold.
    const reheld = new Set(channels.filter((c) => c.response !== null).map((c) => c.producerId));
    const formerReleased = this.settleFormer(true, (h) => reheld.has(h.producerId));
    // Best effort, bounded: a dead server must not hold close() (and a Node-RED redeploy) hostage.
    const unsubscribes = Promise.all(
      channels.map(async (c) => {
        for (const m of c.members) m.setState('closed', 'client closed');
        c.members.clear();
        await this.dropChannel(c);
      }),
    );
    await Promise.race([Promise.all([unsubscribes, formerReleased]), deadline]);
    this.clock.clearTimeout(timer);
    for (const m of members) m.setState('closed', 'client closed');
    this.epoch++;
    // Stage three: close the socket politely (StreamSocket destroys it after a short grace period), and
    // wait for any an unsubscribe or disconnect closed before.
    this.closeSocket('client closed');
    await this.socketsClosed();
    await Promise.all([this.restClient.close(), ...[...this.retiring].map((r) => r.close())]);
    this.setState('closed', 'close() called');
  }
}
