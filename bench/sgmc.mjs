// Spectral geometric matrix completion (issue #14, work in progress):
//   npm run bench -- sgmc [--only eigen|synthetic] [--data <synthetic-netflix dir>]
// eigen: the full eigendecomposition (LAPACK dsyevd) of a 3000-node graph Laplacian (target ≤ 20 s on 2 cores).
// synthetic: SGMC and DMF on Synthetic Netflix (Monti's 150 × 200 .mat with its graphs) through the CLI under GNU
// time, with the settings given in the table (the paper's Table 5 settings are not in this repository yet).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { out, root, writeSection, table, readSection, argOf, cliTrain } from './common.mjs';

const require = createRequire(import.meta.url);
const HEAD = ['measurement', 'settings', 'result', 'wall s', 'CPU s', 'peak RSS', 'measured'];

function eigen3000() {
  const { symmetricEigen } = require(out('src/core/linalg/eigen.js'));
  const { laplacian } = require(out('src/core/data/graph.js'));
  const { loadLapack } = require(out('src/core/linalg/lapack.js'));
  const { Prng } = require(out('src/core/data/prng.js'));
  const n = 3000;
  const rng = new Prng(1);
  const W = new Float64Array(n * n);
  // a random graph with about 10 edges per node and Uniform[0, 1) weights
  for (let i = 0; i < n; i++) for (let t = 0; t < 10; t++) { const j = rng.int(n); if (j !== i) W[i * n + j] = W[j * n + i] = rng.next(); }
  const L = laplacian({ n, W, source: 'random' });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const e = symmetricEigen(L, n);
  const wall = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, lib: loadLapack().lapack.library, lambda0: e.values[0] };
}

export async function run(args) {
  const only = argOf(args, '--only', undefined);
  const date = new Date().toISOString().slice(0, 10);
  const prev = new Map(readSection('sgmc').rows.slice(1).map((r) => [r[0] + '|' + r[1], r]));
  const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (!only || only === 'eigen') {
    const e = eigen3000();
    prev.set('eigendecomposition, 3000-node graph|dsyevd', ['eigendecomposition, 3000-node graph', 'dsyevd', `${e.lib}; λ₀ = ${e.lambda0.toExponential(1)}`, e.wall.toFixed(1), e.cpu.toFixed(1), '—', date]);
    process.stderr.write(`eigen 3000: ${e.wall.toFixed(1)} s\n`);
  }
  if (!only || only === 'synthetic') {
    const data = path.resolve(argOf(args, '--data', path.join(root, '..', 'shared', 'datasets', 'synthetic-netflix')), 'synthetic_netflix.mat');
    const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-bench-sgmc-'));
    try {
      for (const [model, settings] of [['sgmc', 'optimizer=adam lr=0.001 iterations=24000 evalEvery=1000'], ['dmf', 'optimizer=adam lr=0.001 iterations=24000 evalEvery=1000']]) {
        const r = cliTrain(['--model', model, '--train', data, ...settings.split(' ').flatMap((x) => ['--set', x])], runsDir);
        const m = r.summary.metrics.rmse;
        prev.set(`${model}, Synthetic Netflix|${settings}`, [`${model}, Synthetic Netflix`, settings, `RMSE (a) ${m.valSelected.toFixed(4)}, (b) ${m.last.toFixed(4)}, (c) ${m.testSelected.toFixed(4)}`, r.wall.toFixed(1), r.cpu.toFixed(1), gib(r.peak), date]);
      }
    } finally {
      fs.rmSync(runsDir, { recursive: true, force: true });
    }
  }
  writeSection('sgmc', 'Spectral models (work in progress)', `${table(HEAD, [...prev.values()])}\n\nEigendecomposition: LAPACK dsyevd through koffi on a random 3000-node graph Laplacian (about 10 edges per node), wall and CPU seconds of the call (target ≤ 20 s on 2 cores). Synthetic Netflix: the CLI under GNU time; backend: no tfjs — float64 on OpenBLAS dgemm; paper: SGMC 0.0021, DMF 0.0468 (their Table 5 settings, not yet in this repository).`, `npm run bench -- sgmc${only ? ` --only ${only}` : ''}`);
}
