// GLocal-K local-kernel autoencoder (n_users → 500 → 500 → n_users, sigmoid, items as rows, ~6% observed):
// median seconds of one full-batch loss + gradient evaluation on each available backend, and of the same
// computation in PyTorch on the CPU (bench/torch_glocal.py, threads = cores), in the same run.
import { createRequire } from 'node:module';
import { out, median, writeSection, table, argOf, runTorchScript } from './common.mjs';

const require = createRequire(import.meta.url);

const SHAPES = [
  { key: 'ml100k', label: 'MovieLens-100K shape (1682 × 943)', items: 1682, users: 943, reps: 7 },
  { key: 'ml1m', label: 'MovieLens-1M shape (3706 × 6040)', items: 3706, users: 6040, reps: 3 },
];
const DENSITY = 0.06;

async function timeOurs(backend, shape) {
  const { setupBackend } = require(out('src/trainer/backend.js'));
  const { Autoencoder, LocalKernelLayer } = require(out('src/core/models/autoencoders/kernelLayers.js'));
  const { TfObjective } = require(out('src/core/optim/tfObjective.js'));
  const { Prng } = require(out('src/core/data/prng.js'));
  const { tf, info } = await setupBackend({ backend });
  const rng = new Prng(1);
  const n = shape.items * shape.users;
  const r = new Float32Array(n);
  const m = new Float32Array(n);
  for (let k = 0; k < n; k++) if (rng.next() < DENSITY) { r[k] = 1 + rng.int(5); m[k] = 1; }
  const R = tf.tensor2d(r, [shape.items, shape.users]);
  const M = tf.tensor2d(m, [shape.items, shape.users]);
  const ae = new Autoencoder(tf, [
    new LocalKernelLayer(tf, rng, 'l1', shape.users, 500, 'sigmoid', 20, 0.006),
    new LocalKernelLayer(tf, rng, 'l2', 500, 500, 'sigmoid', 20, 0.006),
    new LocalKernelLayer(tf, rng, 'l3', 500, shape.users, 'identity', 20, 0.006),
  ]);
  // the models' own loss (GLocal-K pre-training): fused bias + masked SSE on the cpu backend
  const obj = new TfObjective(tf, ae.vars, () => tf.tidy(() => { const w = ae.weights(); return tf.add(ae.sse(R, w, R, M), w.reg); }));
  const x = await obj.getX();
  const times = [];
  for (let i = 0; i <= shape.reps; i++) {
    const t = process.hrtime.bigint();
    await obj.evaluate(x);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  ae.dispose(); R.dispose(); M.dispose();
  return { backend: info.name, device: info.device, median: median(times) };
}

function timeTorch(shape) {
  const j = runTorchScript('torch_glocal.py', [shape.items, shape.users, DENSITY, shape.reps]);
  return j.error ? j : { median: j.median_s, torch: j.torch, threads: j.threads };
}

export async function run(args) {
  const backends = [argOf(args, '--backend', 'cpu')];
  const rows = [];
  const ratios = {};
  let used = 'cpu';
  for (const shape of SHAPES) {
    const torch = timeTorch(shape);
    process.stderr.write(`${shape.key}: PyTorch ${torch.median ? torch.median.toFixed(3) + ' s' : torch.error}\n`);
    for (const b of backends) {
      const ours = await timeOurs(b, shape);
      used = ours.backend;
      const ratio = torch.median ? ours.median / torch.median : NaN;
      ratios[shape.key] = ratio;
      process.stderr.write(`${shape.key}: ${ours.backend} (${ours.device}) ${ours.median.toFixed(3)} s, ratio ${ratio.toFixed(2)}\n`);
      // the bench process's peak resident set so far (shapes run smallest first, so this row's shape dominates it)
      const peak = process.resourceUsage().maxRSS * 1024;
      rows.push([shape.label, `${ours.backend} — ${ours.device}`, ours.median.toFixed(3), torch.median ? `${torch.median.toFixed(3)} (torch ${torch.torch}, ${torch.threads} threads)` : torch.error, Number.isFinite(ratio) ? ratio.toFixed(2) : '—', `${(peak / 2 ** 30).toFixed(2)} GiB`]);
    }
  }
  writeSection('backends', 'Compute backends: one GLocal-K autoencoder loss + gradient', `${table(['shape', 'backend', 'ours (median s)', 'PyTorch CPU (median s)', 'ours / PyTorch', 'peak RSS (ours)'], rows)}\n\nFull-batch loss + gradient of the local-kernel autoencoder n_users → 500 → 500 → n_users (sigmoid, items as rows, ${DENSITY * 100}% observed, synthetic ratings), float32, median over repetitions after one warm-up. Lower ratio is better; ≤ 1.0 means at least as fast as PyTorch on the same machine. Peak RSS: the bench process's maximum resident set after the row's shape (PyTorch runs in its own process).`, `npm run bench -- backends`);
  process.stdout.write(`backends ml100k_ratio=${(ratios.ml100k ?? NaN).toFixed(3)} ml1m_ratio=${(ratios.ml1m ?? NaN).toFixed(3)} backend=${used}\n`);
}
