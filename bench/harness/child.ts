// A forked bench process with a promise per awaited IPC reply.
import { fork, type ChildProcess } from 'node:child_process';

export class Child<In extends { op: string }, Out extends { op: string }> {
  private readonly proc: ChildProcess;
  private readonly waiting: Array<{ op: string; resolve: (m: Out) => void; reject: (e: Error) => void }> = [];
  private exited: Promise<void>;

  constructor(script: string, arg: object, execArgv: string[] = []) {
    this.proc = fork(script, [JSON.stringify(arg)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: Out) => {
      if (m.op === 'error') {
        for (const w of this.waiting.splice(0))
          w.reject(new Error(`${script}: ${(m as unknown as { message: string }).message}`));
        return;
      }
      const i = this.waiting.findIndex((w) => w.op === m.op);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    });
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code) => {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`${script} exited (code ${code})`));
        resolve();
      }),
    );
  }

  /** The next reply with this op (registered before the request is sent, so it cannot be missed). */
  next<Op extends Out['op']>(op: Op, timeoutMs = 300_000): Promise<Extract<Out, { op: Op }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${op}" within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        op,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<Out, { op: Op }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  send(message: In): void {
    this.proc.send(message);
  }

  async exit(message: In): Promise<void> {
    if (this.proc.exitCode === null && this.proc.connected) this.proc.send(message);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
