// Debian's Mosquitto for the broker tests, `npm run demo:cluster` and the fan-out bench: started on a
// loopback port with a generated config (anonymous, no persistence), stopped by close(). Nothing stands
// in for it: if it is not installed, mosquittoPath() says so (Debian: apt-get install mosquitto).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './node-red-process';

export const MOSQUITTO_MISSING =
  'mosquitto is not installed: on Debian/Ubuntu run `sudo apt-get install mosquitto mosquitto-clients` (the broker is not started as a service by this package)';

/** Where Debian puts it (/usr/sbin is not on every user's PATH); null when not installed. */
export function mosquittoPath(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto'])
    if (existsSync(p)) return p;
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
  if (bin === null) throw new Error(MOSQUITTO_MISSING);
  const dir = await mkdtemp(join(tmpdir(), 'aa-mosquitto-'));
  const port = options.port ?? (await freePort());
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stdout',
      'log_type error',
      'log_type warning',
      'max_queued_messages 100000',
      '',
    ].join('\n'),
  );
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
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
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  return { port, url: `mqtt://127.0.0.1:${port}`, child, output: () => output, close };
}
