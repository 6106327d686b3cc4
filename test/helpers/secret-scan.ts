// What the "no secret in a real Node-RED run" tests share: the admin API called with every answer kept,
// a clean stop so the log is complete, and the grep of every artifact (the log, each file of the user
// dir, each admin answer). Their flows log every msg and status: console debug nodes (flow-nodes.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeRedProcess } from './node-red-process';

export interface AdminCaller {
  /** Calls the admin API (JSON, with `bearer` if given); the answer is also kept in `answers`. */
  call: (path: string, init?: RequestInit, bearer?: string) => Promise<{ status: number; text: string }>;
  /** "<METHOD> <path> <status>\n<body>" of every call so far. */
  readonly answers: string[];
}

export function adminCaller(base: string): AdminCaller {
  const answers: string[] = [];
  return {
    answers,
    async call(path, init = {}, bearer) {
      const headers = {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(init.headers as Record<string, string>),
      };
      const res = await fetch(`${base}${path}`, { ...init, headers });
      const text = await res.text();
      answers.push(`${init.method ?? 'GET'} ${path} ${res.status}\n${text}`);
      return { status: res.status, text };
    },
  };
}

/** Stops Node-RED with SIGINT (so every line is written) and returns all it printed. */
export async function stopForLog(red: NodeRedProcess): Promise<string> {
  const child = red.child;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
  return red.output();
}

/** Every file under `dir` (not following the package symlink in node_modules), as [path, text]. */
export async function filesUnder(dir: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push([path, await readFile(path, 'utf8')]);
  }
  return out;
}

/** What a run produced, as [where, text]: the log, every file of the user dir, every admin answer. */
export async function runArtifacts(log: string, userDir: string, answers: string[]): Promise<Array<[string, string]>> {
  return [
    ['the log', log],
    ...(await filesUnder(userDir)),
    ...answers.map((a): [string, string] => [`answer ${a.split('\n')[0]}`, a]),
  ];
}

/** "<what> in <where>" for each secret found in each artifact, plus what `also` finds in an artifact. */
export function findLeaks(
  artifacts: Array<[string, string]>,
  secrets: Array<[string, string]>,
  also: (text: string, where: string) => string[] = () => [],
): string[] {
  const leaks: string[] = [];
  for (const [where, text] of artifacts) {
    for (const [what, secret] of secrets) if (text.includes(secret)) leaks.push(`${what} in ${where}`);
    leaks.push(...also(text, where));
  }
  return leaks;
}
