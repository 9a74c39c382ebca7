// Peak memory of GLocal-K on the cpu backend (issue "GPU path … and memory a laptop can afford"): synthetic matrices
// of Douban's shape in Monti et al.'s split (3000 users × 3000 items, ~123k training ratings) and of ML-1M's
// (6040 × 3706, ~1M ratings), a few epochs each, through the CLI (trainer process) under GNU time: peak RSS of the
// largest process, wall and CPU seconds, and the model's memory estimate (src/core/models/memory.ts, the number the
// run refuses on) beside it.
//   npm run bench -- memory [--shapes douban,ml-1m] [--epochs 2] [--dist <other build's dist/>] [--label <row label>]
// --dist/--label measure another build (e.g. a worktree of an older commit) into rows of their own, so the section
// keeps the figures before and after a change side by side (rows not rerun are kept).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { root, out, writeSection, table, timed, readSection, argOf, gitRev } from './common.mjs';

const require = createRequire(import.meta.url);

// density chosen so that the fitted part (90 % train, minus 5 % validation) is the target count
const SHAPES = {
  douban: { users: 3000, items: 3000, ratings: 144_000, label: 'Douban-shaped 3000 × 3000, ~123k fitted ratings', limit: 2 },
  'ml-1m': { users: 6040, items: 3706, ratings: 1_000_209, label: 'ML-1M-shaped 6040 × 3706, ~855k fitted ratings', limit: 4 },
};

const HEAD = ['matrix', 'build', 'epochs (pre + fine)', 'peak RSS', 'target', 'estimate', 'wall s', 'CPU s', 'test RMSE (a)', 'measured'];
const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;

export async function run(args) {
  const { syntheticTsv } = require(out('src/core/data/synthetic.js'));
  const { estimateMemory } = require(out('src/core/models/memory.js'));
  const { getModel } = require(out('src/core/models/catalogue.js'));
  const { resolveHyper } = require(out('src/core/models/model.js'));
  const shapes = (argOf(args, '--shapes', 'douban,ml-1m')).split(',');
  const epochs = Number(argOf(args, '--epochs', '2'));
  const dist = path.resolve(argOf(args, '--dist', path.join(root, 'dist')));
  const label = argOf(args, '--label', `this build (${gitRev()})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-bench-mem-'));
  const { rows: old } = readSection('memory');
  const rows = new Map(old.filter((r) => r.length === HEAD.length && r[0] !== 'matrix').map((r) => [`${r[0]}|${r[1]}|${r[2]}`, r]));
  const stamp = `${new Date().toISOString().slice(0, 10)} ${gitRev()}`;
  try {
    for (const name of shapes) {
      const sh = SHAPES[name];
      if (!sh) throw new Error(`unknown shape ${name} (${Object.keys(SHAPES).join(', ')})`);
      const file = path.join(dir, `${name}.tsv`);
      fs.writeFileSync(file, syntheticTsv({ users: sh.users, items: sh.items, rank: 5, density: sh.ratings / (sh.users * sh.items), noise: 0.3, seed: 11 }));
      const runs = path.join(dir, 'runs');
      const cmd = `node ${JSON.stringify(path.join(dist, 'cli.js'))} train --model glocal-k --train ${JSON.stringify(file)} --split random:0.1:1 --set preEpochs=${epochs} --set fineEpochs=${epochs} --backend cpu --runs-dir ${JSON.stringify(runs)} --json --quiet --no-progress`;
      process.stderr.write(`memory: ${sh.label}, ${label} …\n`);
      const r = timed(cmd);
      const json = r.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
      if (r.code !== 0 || !json) throw new Error(`${name}: the CLI exited ${r.code}\n${r.stderr.slice(-1500)}`);
      const s = JSON.parse(json);
      const fitted = s.trainRatings;
      const est = estimateMemory(getModel('glocal-k'), resolveHyper(getModel('glocal-k'), undefined, {}), { users: sh.users, items: sh.items, ratings: fitted });
      rows.set(`${sh.label}|${label}|${epochs} + ${epochs}`, [sh.label, label, `${epochs} + ${epochs}`, gib(r.peak), `≤ ${sh.limit} GiB`, gib(est.bytes), r.wall.toFixed(0), r.cpu.toFixed(0), s.metrics.rmse.valSelected.toFixed(4), stamp]);
      process.stderr.write(`memory: ${name} ${label}: peak ${gib(r.peak)} (estimate ${gib(est.bytes)}), ${r.wall.toFixed(0)} s\n`);
      process.stdout.write(`memory shape=${name} build="${label}" peak_gib=${(r.peak / 2 ** 30).toFixed(2)} wall_s=${r.wall.toFixed(0)}\n`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const command = `npm run bench -- memory${args.length ? ` ${args.join(' ')}` : ''}`;
  writeSection('memory', 'Memory: GLocal-K peak RSS (cpu backend)', `${table(HEAD, [...rows.values()])}\n\nGLocal-K with its default hyper-parameters (hidden 500, kernel dimension 5, 3 × 3 global kernel), a synthetic rank-5 matrix of the shape named, random 10 % test split and 5 % validation, cpu backend (tfjs CPU + OpenBLAS, element-wise kernels on 2 threads), through the CLI's trainer process. Peak RSS: GNU time's maximum resident set of the largest process. Estimate: what the run computes before allocating (and refuses on). Before the fix the worker threads kept the shared arrays they had been handed (a worker's heap hardly grows, so V8 seldom collected it, and every SharedArrayBuffer it still referenced stayed resident) and each epoch's kernel pictures leaked three layer-sized tensors (39 MB an epoch on the Douban shape): how much stayed depended on when a worker happened to collect — 3.3 to 4.5 GiB in the rows here, 5.9 GiB in-process after 2 + 2 epochs on a 136k-rating matrix while it was investigated. After it, peak RSS is flat in the schedule (1.21 GiB at 2 + 2, 1.25 GiB at 8 + 8 epochs). Rows of other builds (--dist/--label) and other schedules (--epochs) are kept.`, command);
}
