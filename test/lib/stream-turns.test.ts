// The stream socket hands on a bounded amount per turn of the event loop (64 frames or 256 KB), so
// the msgs Node-RED delivers with setImmediate get a turn before the next read: a burst never makes
// thousands of messages (or megabytes of parsed 32 KB rows) wait in memory at once.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { resolveOptions } from '../../lib/options';
import { StreamSocket } from '../../lib/stream/stream-socket';

/** Frames the socket delivered between two turns of the event loop, for `count` frames of `size` bytes sent at once. */
async function framesPerTurn(count: number, size: number): Promise<number[]> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const frame = Buffer.alloc(size, 0x20);
  wss.on('connection', (ws) => {
    ws.on('message', () => {
      // One write for everything: the client reads it in as few reads as the kernel allows.
      for (let i = 0; i < count; i++) ws.send(frame);
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const options = resolveOptions({ url: `http://127.0.0.1:${port}/orca-streams-rest`, username: 'u', password: 'p' });
  const turns: number[] = [];
  let inTurn = 0;
  let received = 0;
  let turnScheduled = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = new StreamSocket(`ws://127.0.0.1:${port}/ws`, options, {
        onOpen: () => socket.send('go'),
        onMessage: () => {
          inTurn++;
          received++;
          if (!turnScheduled) {
            turnScheduled = true;
            setImmediate(() => {
              turns.push(inTurn);
              inTurn = 0;
              turnScheduled = false;
            });
          }
          if (received === count) setTimeout(() => { socket.close(); resolve(); }, 20);
        },
        onStale: () => reject(new Error('stale')),
        onClose: () => undefined,
      });
    });
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
  return turns;
}

describe('lib stream socket: work per turn of the event loop', function () {
  this.timeout(20_000);

  it('hands on at most about 64 small frames per turn', async () => {
    const turns = await framesPerTurn(2_000, 150);
    assert.equal(turns.reduce((a, b) => a + b, 0), 2_000);
    // Frames already parsed from the last read still arrive after the pause: a read holds < 64 KB.
    assert.ok(Math.max(...turns) <= 64 + Math.ceil(65_536 / 150), `at most ${Math.max(...turns)} frames in one turn`);
    assert.ok(turns.length >= 2_000 / (64 + 437), `${turns.length} turns`);
  });

  it('hands on at most about 256 KB of 32 KB frames per turn', async () => {
    const turns = await framesPerTurn(200, 32 * 1024);
    assert.equal(turns.reduce((a, b) => a + b, 0), 200);
    // 8 frames reach the bound; one read (at most 64 KB) may bring 2 more.
    assert.ok(Math.max(...turns) <= 10, `at most ${Math.max(...turns)} frames in one turn: ${turns.join(',')}`);
  });
});
