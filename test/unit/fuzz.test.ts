// The malformed-input corpus (test/unit/fuzzCorpus.ts, ≥ 300 cases generated here, seeded) through the CLI, two at
// a time, each with a time limit: every bad input must end with exit 2 naming the file and leave no run folder;
// the documented accepts may also end with exit 0. Never a hang, a stack trace, exit 1 or "diverged".
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { buildCorpus, FuzzCase } from './fuzzCorpus';
import { readMatDataset } from '../../src/core/data/matFile';
import { repoRoot, tmpDir } from './helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const LIMIT_MS = 30_000;

interface Outcome { code: number | null; out: string; ms: number; hung: boolean }

function runCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let hung = false;
    const timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, LIMIT_MS);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, ms: Date.now() - t0, hung }); });
  });
}

test('fuzz: ≥ 300 malformed inputs through the CLI — exit 2 naming the file, no hang, no stack trace, no run folder', { skip: !fs.existsSync(cli) && 'dist/cli.js not built', timeout: 10 * 60_000 }, async () => {
  const dir = tmpDir('krl-fuzz-');
  const { cases, close } = await buildCorpus(dir);
  const results: { c: FuzzCase; o: Outcome; runs: string[] }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      const runs = path.join(dir, `runs-${i}`);
      const o = await runCli(c.command ?? ['train', '--model', 'global-mean', '--train', c.file, '--runs-dir', runs]);
      results.push({ c, o, runs: fs.existsSync(runs) ? fs.readdirSync(runs) : [] });
    }
  };
  try {
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    await Promise.all([worker(), worker()]);
  } finally {
    close();
  }
  const failures: string[] = [];
  const byClass = new Map<string, { n: number; refused: number; accepted: number }>();
  for (const { c, o, runs } of results) {
    const k = byClass.get(c.cls) ?? { n: 0, refused: 0, accepted: 0 };
    k.n++;
    const why = (msg: string) => failures.push(`${c.cls} / ${c.name}: ${msg}\n      ${o.out.trim().split('\n').slice(-3).join('\n      ')}`);
    if (o.hung) { why(`no exit within ${LIMIT_MS / 1000} s (hang)`); continue; }
    if (/\n\s+at .*:\d+:\d+\)?\n/.test(o.out) || /internal error/.test(o.out)) why('a stack trace or internal error reached the output');
    if (/diverged/.test(o.out)) why('reported as "diverged"');
    if (o.code === 2) {
      k.refused++;
      if (![c.file, path.basename(c.file), JSON.stringify(c.file)].some((n) => n && o.out.includes(n))) why('exit 2 without naming the file');
      if (runs.length) why(`bad input left a run folder (${runs.join(', ')})`);
    } else if (o.code === 0 && c.expect === 'either') {
      k.accepted++;
      if (c.original) {
        // an accepted bit flip of a .mat file must be one the data never saw: everything read equals the original
        const [a, b] = [await readMatDataset(c.file), await readMatDataset(c.original)];
        const same = (x: ArrayLike<number>, y: ArrayLike<number>) => x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
        const g = (m: typeof a) => [m.userGraph?.rows ?? [], m.userGraph?.cols ?? [], m.userGraph?.values ?? [], m.itemGraph?.rows ?? [], m.itemGraph?.cols ?? [], m.itemGraph?.values ?? []];
        if (!(same(a.M, b.M) && same(a.Otraining, b.Otraining) && same(a.Otest, b.Otest) && g(a).every((x, i) => same(x, g(b)[i])))) why('a corrupt file was accepted: the data read differ from the original');
      }
    } else why(`exit ${o.code} (expected ${c.expect === 'input' ? '2' : '2 or 0'})`);
    byClass.set(c.cls, k);
  }
  const table = [...byClass.entries()].map(([cls, k]) => `  ${cls.padEnd(34)} ${String(k.n).padStart(4)} cases: ${k.refused} refused (exit 2), ${k.accepted} accepted`).join('\n');
  const slowest = Math.max(...results.map((r) => r.o.ms));
  process.stdout.write(`fuzz: ${results.length} inputs, slowest ${slowest} ms\n${table}\n`);
  assert.deepEqual(failures, [], `${failures.length} of ${results.length} cases misbehaved:\n${failures.slice(0, 30).join('\n')}`);
});
