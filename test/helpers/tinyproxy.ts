// A real HTTP proxy for the tests: Debian's tinyproxy (installed by .ci/run), started in the
// foreground on a free loopback port with a generated configuration and its own log file, stopped
// by stop(). `connects()` reads the proxy's own log: the CONNECT requests it received.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './wait';

export const TINYPROXY = '/usr/bin/tinyproxy';

export interface Tinyproxy {
  url: string;
  port: number;
  logFile: string;
  /** The CONNECT request lines of the proxy's log, e.g. "CONNECT 127.0.0.1:43211 HTTP/1.1". */
  connects(): Promise<string[]>;
  stop(): Promise<void>;
}

export function tinyproxyAvailable(): boolean {
  return existsSync(TINYPROXY);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts tinyproxy allowing CONNECT to `connectPorts`; with `auth`, Basic authentication is required. */
export async function startTinyproxy(options: {
  connectPorts: number[];
  auth?: { user: string; password: string };
}): Promise<Tinyproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'tinyproxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    'MaxClients 50',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...options.connectPorts.map((p) => `ConnectPort ${p}`),
    ...(options.auth ? [`BasicAuth ${options.auth.user} ${options.auth.password}`] : []),
  ];
  const configFile = join(dir, 'tinyproxy.conf');
  await writeFile(configFile, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when it accepts a connection.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited: ${output}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`tinyproxy did not start listening on ${port}: ${output}`);
    }
    await sleep(50);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    logFile,
    async connects() {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return [...text.matchAll(/Request \(file descriptor \d+\): (CONNECT \S+ HTTP\/1\.1)/g)].map(
        (m) => m[1] as string,
      );
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
