// The stream socket hands on a bounded amount per turn of the event loop (64 frames or 256 KB), so
// the msgs Node-RED delivers with setImmediate get a turn before the next read: a burst never makes
// thousands of messages (or megabytes of parsed 32 KB rows) wait in memory at once. Frames are never
// lost or reordered on the way, also when the socket closes with frames still waiting.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { resolveOptions } from '../../lib/options';
import { StreamSocket } from '../../lib/stream/stream-socket';

/** Frames the socket delivered between two turns of the event loop, for `count` frames of `size` bytes sent at once. */
async function framesPerTurn(
  count: number,
  size: number,
  closeAfter = false,
): Promise<{ turns: number[]; order: number[]; closedAfter: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => {
    ws.on('message', () => {
      // Each frame starts with its number; all sent at once, so the client reads many per read.
      for (let i = 0; i < count; i++) ws.send(Buffer.from(String(i).padEnd(size, ' ')));
      if (closeAfter) ws.close(1000, 'done');
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const options = resolveOptions({
    url: `http://127.0.0.1:${port}/orca-streams-rest`,
    allowCleartext: true,
    username: 'u',
    password: 'p',
  });
  const turns: number[] = [];
  const order: number[] = [];
  let closedAfter = -1;
  let inTurn = 0;
  let received = 0;
  let turnScheduled = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = new StreamSocket(`ws://127.0.0.1:${port}/ws`, options, {
        onOpen: () => socket.send('go'),
        onMessage: (data) => {
          order.push(Number(data.toString().trim()));
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
          if (received === count && !closeAfter)
            setTimeout(() => {
              socket.close();
              resolve();
            }, 20);
        },
        onStale: () => reject(new Error('stale')),
        onClose: () => {
          closedAfter = received;
          if (closeAfter) resolve();
        },
      });
    });
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
  turns.push(inTurn);
  return { turns: turns.filter((n) => n > 0), order, closedAfter };
}

function inOrder(order: number[], count: number): void {
  assert.equal(order.length, count);
  order.forEach((n, i) => assert.equal(n, i, `frame ${i} arrived as #${n}`));
}

describe('lib stream socket: work per turn of the event loop', function () {
  this.timeout(20_000);

  it('hands on at most 64 small frames per turn', async () => {
    const { turns, order } = await framesPerTurn(2_000, 150);
    inOrder(order, 2_000);
    // Frames parsed from a read past the bound wait for the next turn.
    assert.ok(Math.max(...turns) <= 64, `at most ${Math.max(...turns)} frames in one turn`);
    assert.ok(turns.length >= 2_000 / 64, `${turns.length} turns`);
  });

  it('hands on at most 256 KB of 32 KB frames per turn', async () => {
    const { turns, order } = await framesPerTurn(200, 32 * 1024);
    inOrder(order, 200);
    assert.ok(Math.max(...turns) <= 8, `at most ${Math.max(...turns)} frames in one turn: ${turns.join(',')}`);
  });

  it('hands on every waiting frame, in order, before it reports a close', async () => {
    const { order, closedAfter } = await framesPerTurn(3_000, 150, true);
    inOrder(order, 3_000);
    assert.equal(closedAfter, 3_000, 'the close came after all 3,000 frames');
  });
});
