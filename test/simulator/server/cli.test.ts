import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { sleep } from '../../helpers/wait';

const CLI = join(__dirname, '..', '..', '..', 'simulator', 'cli.js');

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${output()}`);
    await sleep(50);
  }
}

describe('simulator CLI', () => {
  it('starts, prints the REST URL, control URL, CA path and credentials that work, and stops on SIGTERM', async () => {
    const { child, output, exited } = run([
      '--port',
      '0',
      '--control-port',
      '0',
      '--rate',
      '0',
      '--seed',
      '3',
      '--agents',
      '20',
    ]);
    try {
      await waitForOutput(output, /Press Ctrl-C to stop/);
      const text = output();
      const restUrl = /REST URL\s+(\S+)/.exec(text)![1]!;
      const controlUrl = /Control URL\s+(\S+)/.exec(text)![1]!;
      const caPath = /CA\s+(\S+ca\.pem)/.exec(text)![1]!;
      const [, username, password] = /^\s+(\S+) \/ (\S+)\s+groups:/m.exec(text)!;
      assert.match(restUrl, /^https:\/\/127\.0\.0\.1:\d+\/orca-streams-rest$/);
      const dispatcher = new Agent({ connect: { ca: await readFile(caPath, 'utf8') } });
      try {
        const login = await request(`${restUrl}/users/login?tenant=0&username=${username}&password=${password}`, {
          dispatcher,
        });
        assert.equal(login.statusCode, 200);
        assert.ok(((await login.body.json()) as { authdata: string }).authdata);
      } finally {
        await dispatcher.close();
      }
      const stats = await fetch(`${controlUrl}/stats`).then((r) => r.json() as Promise<{ logins: number }>);
      assert.equal(stats.logins, 1);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(output(), /SIGTERM: stopping/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('serves plain HTTP with --plain', async () => {
    const { child, output, exited } = run(['--port', '0', '--control-port', '0', '--plain', '--rate', '0']);
    try {
      await waitForOutput(output, /Press Ctrl-C to stop/);
      assert.match(output(), /REST URL\s+http:\/\/127\.0\.0\.1:\d+\/orca-streams-rest/);
      assert.match(output(), /CA\s+none/);
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('prints help, and rejects bad flags with exit code 2', async () => {
    const help = run(['--help']);
    assert.equal(await help.exited, 0);
    assert.match(help.output(), /Usage: avaya-analytics-sim/);
    for (const args of [['--port', 'abc'], ['--encoding', 'xml'], ['--rate', 'fast'], ['--bogus']]) {
      const bad = run(args);
      assert.equal(await bad.exited, 2, args.join(' '));
      assert.match(bad.output(), /must be|Unknown option/);
    }
  });
});
