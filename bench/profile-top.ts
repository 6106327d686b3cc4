// Top self-time functions of a V8 .cpuprofile (from node --cpu-prof, e.g. `npm run bench -- --profile prof`).
//   node dist/bench/profile-top.js prof/ours-*.cpuprofile [--top 30] [--last 20]
// --last S counts only the samples of the profile's last S seconds (e.g. the steady case, which runs last).
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
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
  process.stderr.write('usage: node dist/bench/profile-top.js <file.cpuprofile> [--top 30] [--last seconds]\n');
  process.exit(2);
}

for (const file of files) {
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
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  for (const [name, us] of rows)
    process.stdout.write(
      `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`,
    );
}
