// Runs `npm start`'s program (dist/scripts/start.js, what `npm start` runs once the build is current)
// as a child process with its output collected, as a newcomer's terminal would show it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

import { sleep } from './wait';

const REPO = resolve(__dirname, '..', '..', '..');
export const START_JS = join(REPO, 'dist', 'scripts', 'start.js');

export class DemoProcess {
  readonly child: ChildProcess;
  private text = '';
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    // Its own process group: if it ever hangs, the test kills it together with its Node-RED child.
    this.child = spawn(process.execPath, [START_JS], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.text += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.text += d.toString()));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  get output(): string {
    return this.text;
  }

  /**
   * The first match of `pattern` in the output; throws (with the output) if the process exits first or after
   * `timeoutMs`.
   */
  async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null)
        throw new Error(
          `npm start exited (${this.child.exitCode}) before printing ${pattern}:\n${this.text.slice(-3000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${this.text.slice(-3000)}`);
      await sleep(100);
    }
  }

  /**
   * SIGINT to npm start alone (a terminal's Ctrl-C reaches Node-RED too; this is the harder case: the
   * script must stop Node-RED itself), then the exit code; null if it did not exit within `timeoutMs`
   * (its whole process group is then killed).
   */
  async interrupt(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGINT');
    return this.waitForExit(timeoutMs);
  }

  /** Last resort for after(): kills the process group (npm start and its Node-RED). */
  kill(): void {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async waitForExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.kill();
      await this.exited;
      return null;
    }
    return result;
  }
}
