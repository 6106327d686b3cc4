// Top self-time functions of a V8 .cpuprofile (from node --cpu-prof, e.g. `npm run bench -- --profile prof`),
// or top allocating functions of a .heapprofile (from BENCH_ALLOC_PROFILE, see harness/receiver.ts).
//   node dist/bench/profile-top.js prof/ours-*.cpuprofile [--top 30] [--last 20]
//   node dist/bench/profile-top.js alloc/ours-*.heapprofile [--top 30]
// --last S counts only the samples of the profile's last S seconds (e.g. the steady case, which runs last).
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
/** A sampling heap profile: a tree of call frames with the bytes each allocated itself. */
interface HeapProfileNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: HeapProfileNode[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 30;
const lastIndex = args.indexOf('--last');
const lastUs = lastIndex >= 0 ? Number(args[lastIndex + 1]) * 1e6 : Infinity;
const optionValues = new Set([topIndex + 1, lastIndex + 1].filter((i) => i > 0));
const files = args.filter((a, i) => a !== '--top' && a !== '--last' && !optionValues.has(i));
if (files.length === 0) {
  process.stderr.write(
    'usage: node dist/bench/profile-top.js <file.cpuprofile|file.heapprofile> [--top 30] [--last seconds]\n',
  );
  process.exit(2);
}

function frameName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function printTop(file: string, byFunction: Map<string, number>, total: number, unit: 'ms' | 'MB'): void {
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  const amount = (v: number): string => (unit === 'ms' ? (v / 1000).toFixed(0) : (v / 1048576).toFixed(2));
  process.stdout.write(
    `${path.basename(file)}: ${unit === 'ms' ? `${(total / 1e6).toFixed(1)} s sampled` : `${amount(total)} MB allocated`}\n`,
  );
  for (const [name, v] of rows)
    process.stdout.write(
      `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${amount(v).padStart(7)} ${unit}  ${name}\n`,
    );
}

/** Bytes allocated per function over the whole profile (garbage included, as the receiver samples). */
function allocations(file: string): void {
  const head = (JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapProfileNode }).head;
  const byFunction = new Map<string, number>();
  let total = 0;
  const stack = [head];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const key = frameName(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    stack.push(...node.children);
  }
  printTop(file, byFunction, total, 'MB');
}

for (const file of files) {
  if (file.endsWith('.heapprofile')) {
    allocations(file);
    continue;
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node from the sample stream (time deltas are µs; fall back to hit counts).
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const elapsedUs = deltas.reduce((a, b) => a + b, 0);
  let atUs = 0;
  for (let i = 0; i < samples.length; i++) {
    atUs += deltas[i] ?? 0;
    if (elapsedUs - atUs >= lastUs) continue;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  if (samples.length === 0) for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * 1000);
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const key = frameName(n.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  printTop(file, byFunction, total, 'ms');
}
