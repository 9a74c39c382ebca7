// LEPORID + DLR² and the top-N baselines (issue #15) on MovieLens-100K u.data under the LEPORID protocol (users and
// items with ≥ 20 interactions, per-user chronological 70/10/20, full ranking of every unseen item):
//   npm run bench -- ranking [--data <ml-100k dir>] [--only baselines,dlr2,inits,embed] [--iterations 5000]
//                            [--init-iterations 1000] [--inits leporid,le,random,svd] [--init-seeds 1234,1,2]
//                            [--nodes 50000]
// baselines: TopPop, ItemKNN, UserKNN (k chosen on validation), BPR with random and LEPORID initial factors.
// dlr2: DLR² + LEPORID with the code's settings (5,000 iterations, validation every 100); its training seconds
// (wall minus the evaluations, which the run logs) and the full ranking evaluation's seconds.
// inits: DLR² with LEPORID / LE / random / SVD embeddings (the paper's Table 5 question), --init-iterations each.
// embed: the LEPORID embedding of a synthetic 50k-node kNN graph (bench/embedLarge.mjs) against the paper's 172 s.
// Every run through the CLI under GNU time (wall, CPU seconds, peak RSS).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { argOf, cliTrain, ml100kDir, out, readSection, runTorchScript, table, timed, writeSection } from './common.mjs';

const require = createRequire(import.meta.url);

/** Median seconds of one DLR² training step (feature net, S, G, losses, Adam) of ours on the cpu backend, random data. */
async function ourStep(steps) {
  const { setupBackend } = require(out('src/trainer/backend.js'));
  const { buildDlr2, featureTrain, stateImage, squareSquareLoss, hingeLoss } = require(out('src/core/models/ranking/dlr2Net.js'));
  const { Prng } = require(out('src/core/data/prng.js'));
  const { Adam } = require(out('src/core/optim/adam.js'));
  const { tf } = await setupBackend({ backend: 'cpu' });
  const nets = buildDlr2(tf, 64, 5, new Prng(1));
  const users = tf.randomNormal([1000, 64]);
  const items = tf.randomNormal([1000, 64]);
  const vars = [...nets.feature.trainableWeights, ...nets.critic.trainableWeights, ...nets.actor.trainableWeights].map((w) => w.read());
  const opt = new Adam(tf, vars, { lr: 1e-3 });
  const rng = new Prng(2);
  const ints = (n) => tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(1000)), 'int32');
  const times = [];
  for (let it = 0; it < steps + 3; it++) {
    const [u, st, p, n] = [ints(32), ints(160), ints(32), ints(32)];
    const t0 = process.hrtime.bigint();
    await opt.step(() => tf.tidy(() => {
      const s = featureTrain(tf, nets, stateImage(tf, tf.gather(users, u), tf.gather(items, st), 5));
      const pa = tf.gather(items, p);
      const na = tf.gather(items, n);
      const loss = squareSquareLoss(tf, nets.critic.apply(tf.concat([s, pa], 1)), nets.critic.apply(tf.concat([s, na], 1)), 0.5);
      return tf.add(loss, hingeLoss(tf, nets.actor.apply(s), pa, na, 0.5));
    }));
    if (it >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    tf.dispose([u, st, p, n]);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const STEP_HEAD = ['measurement', 'ours s/step', 'PyTorch s/step', 'ratio (ours / PyTorch)', 'measured'];
const HEAD = ['model', 'settings', 'HR@10 (a)', 'P@10 (a)', 'R@10 (a)', 'NDCG@10 (a)', 'HR@10 (c)', 'chosen', 'wall s', 'CPU s', 'peak RSS', 'measured'];
const PROTOCOL = ['--task', 'ranking', '--split', 'chrono:0.7:0.1:0.2', '--min-interactions', '20', '--backend', 'cpu'];
const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : '–');

function row(model, settings, r, chosen) {
  const m = r.summary.metrics;
  const a = (k) => m[k]?.valSelected;
  return [model, settings, f4(a('hr@10')), f4(a('p@10')), f4(a('r@10')), f4(a('ndcg@10')), f4(m['hr@10']?.testSelected), chosen, r.wall.toFixed(1), r.cpu.toFixed(1), gib(r.peak), new Date().toISOString().slice(0, 10)];
}

/** Seconds the run spent in evaluations (the debug lines DLR² writes to its log). */
function evaluationSeconds(runsDir, runId) {
  const log = path.join(runsDir, runId, 'log.txt');
  if (!fs.existsSync(log)) return 0;
  return fs.readFileSync(log, 'utf8').split('\n').map((l) => /evaluation \(validation and test[^)]*\) ([\d.]+) s/.exec(l)?.[1]).filter(Boolean).map(Number).reduce((a, b) => a + b, 0);
}

export { ourStep };

/** Mean ± sample std of HR@10 (a) per initialisation over its seed rows ("dlr2 · init" and "dlr2 · init · seed n"). */
function seedText(rows) {
  const by = new Map();
  for (const r of rows) {
    const m = /^dlr2 · (\w+)(?: · seed \d+)?$/.exec(r[0]);
    if (m && Number.isFinite(Number(r[2]))) by.set(m[1], [...(by.get(m[1]) ?? []), Number(r[2])]);
  }
  const parts = [...by].filter(([, v]) => v.length > 1).map(([init, v]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    return `${init} ${mean.toFixed(4)} ± ${sd.toFixed(4)} (${v.length} seeds)`;
  });
  return parts.length ? `\nInitialisations over the seeds tried (HR@10 (a), mean ± sample std): ${parts.join(', ')}.\n` : '';
}

export async function run(args) {
  const data = path.join(ml100kDir(args), 'u.data');
  if (!fs.existsSync(data)) throw new Error(`${data} not found: give --data <MovieLens-100K folder> (u.data has the timestamps the protocol needs)`);
  const only = new Set((argOf(args, '--only', 'baselines,step,dlr2,inits,embed')).split(','));
  const iterations = Number(argOf(args, '--iterations', '5000'));
  const initIterations = Number(argOf(args, '--init-iterations', '1000'));
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-bench-ranking-'));
  const old = readSection('ranking').rows.filter((r) => r.length === HEAD.length && r[0] !== 'model');
  const rows = [];
  const keep = (pred) => rows.push(...old.filter(pred));
  const train = (model, extra) => cliTrain(['--model', model, '--train', data, ...PROTOCOL, ...extra], runsDir);
  const chosenK = (r) => `k = ${[10, 20, 50, 100, 200, 400][(r.summary.epochs.valSelected ?? 1) - 1]}`;

  if (only.has('baselines')) {
    for (const [model, extra, settings, chosen] of [
      ['top-pop', [], '', () => ''],
      ['item-knn', [], 'cosine, k ∈ {10…400} on validation, test history fitted ∪ validation', chosenK],
      ['user-knn', [], 'cosine, k ∈ {10…400} on validation, test history fitted ∪ validation', chosenK],
      ['bpr', ['--set', 'init=random'], 'random init, 64 factors, 60 epochs, lr 0.05', (r) => `epoch ${(r.summary.iterations.valSelected ?? 0)}`],
      ['bpr', ['--set', 'init=leporid'], 'LEPORID init (K 1000, α 0.5), 64 factors, 60 epochs, lr 0.05', (r) => `epoch ${(r.summary.iterations.valSelected ?? 0)}`],
    ]) {
      const r = train(model, extra);
      rows.push(row(model, settings, r, chosen(r)));
      process.stdout.write(`${rows.at(-1).join(' | ')}\n`);
    }
  } else keep((r) => !r[0].startsWith('dlr2') && !r[0].startsWith('embedding'));

  // rows an interrupted earlier invocation of this suite printed (its stdout), for runs not repeated here
  const fromLog = argOf(args, '--from-log');
  // without --from-log, the provenance of rows kept from such a log stays with them
  let provenance = (/\n(Rows "dlr2[^\n]*)\n/.exec(readSection('ranking').body)?.[1] ?? '');
  provenance = provenance ? `\n${provenance}\n` : '';
  if (fromLog) {
    const printed = fs.readFileSync(fromLog, 'utf8').split('\n').map((l) => l.split(' | ').map((c) => c.trim())).filter((c) => c.length === HEAD.length && /^dlr2/.test(c[0]));
    const names = printed.map((r) => r[0]);
    old.splice(0, old.length, ...old.filter((r) => !names.includes(r[0])), ...printed);
    provenance = `\nRows ${names.map((n) => `"${n}"`).join(', ')} were printed by an earlier, interrupted \`npm run bench -- ranking --only dlr2,inits\` on this machine (its output kept: ${path.basename(fromLog)}); measured with the code of commit 4b5546d, before Adam became one fused pass per variable); the random-initialisation run was stopped there: with trained embeddings a step took about 3 s on the cpu backend (the gradient of the embedding lookups, since a one-pass kernel)${argOf(args, '--inits', '').split(',').includes('random') && only.has('inits') ? '; the random row here was measured in this invocation' : ' — that row is owed'}.\n`;
  }

  if (only.has('dlr2')) {
    const r = train('dlr2', ['--set', `iterations=${iterations}`, '--set', 'evalEvery=100']);
    const ev = evaluationSeconds(runsDir, r.summary.runId);
    const evals = Math.ceil(iterations / 100);
    const trainS = r.summary.seconds - ev;
    rows.push(row('dlr2', `LEPORID (K 1000, α 0.5), frozen, margins 0.5, ${iterations} iterations, validation every 100; training ${trainS.toFixed(0)} s (${((1000 * trainS) / iterations).toFixed(0)} ms/iteration), one evaluation (val + test, ${ev > 0 ? (ev / evals).toFixed(1) : '–'} s)`, r, `iteration ${r.summary.iterations.valSelected}`));
    process.stdout.write(`${rows.at(-1).join(' | ')}\n`);
  } else keep((r) => r[0] === 'dlr2');

  if (only.has('inits')) {
    // --init-seeds: the runs' seed (initialisation, negatives, validation carve-out); 1234 is the CLI's default
    const seeds = argOf(args, '--init-seeds', '1234').split(',');
    for (const init of argOf(args, '--inits', 'leporid,le,random,svd').split(',')) {
      for (const seed of seeds) {
        const r = train('dlr2', ['--set', `init=${init}`, '--set', `iterations=${initIterations}`, '--set', 'evalEvery=100', '--seed', seed]);
        rows.push(row(`dlr2 · ${init}${seed === '1234' ? '' : ` · seed ${seed}`}`, `${init} embeddings (${init === 'random' ? 'trained, as the code' : 'frozen, as the code'}), ${initIterations} iterations, validation every 100`, r, `iteration ${r.summary.iterations.valSelected}`));
        process.stdout.write(`${rows.at(-1).join(' | ')}\n`);
      }
    }
    keep((r) => r[0].startsWith('dlr2 ·') && !rows.some((x) => x[0] === r[0]));
  } else keep((r) => r[0].startsWith('dlr2 ·'));

  // rows measured in this invocation are no longer the ones an earlier log printed: drop them from that sentence
  const measured = new Set(rows.map((r) => r[0]));
  provenance = provenance.replace(/Rows ((?:"[^"]+"(?:, )?)+) were printed/, (all, list) => {
    const names = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]).filter((n) => !measured.has(n));
    return names.length ? `Rows ${names.map((n) => `"${n}"`).join(', ')} were printed` : '';
  });
  if (/^\s*Rows\s*$|^\s*$/.test(provenance) || !/were printed/.test(provenance)) provenance = '';

  let stepRows = readSection('ranking').rows.filter((r) => r.length === STEP_HEAD.length && r[0].startsWith('DLR² training step'));
  if (only.has('step')) {
    const steps = 30;
    const ours = await ourStep(steps);
    stepRows = [];
    for (const twice of [1, 0]) {
      const t = runTorchScript('torch_dlr2.py', [steps, twice]);
      const label = `DLR² training step (batch 32 + 32, Adam), ${twice ? 'PyTorch runs the feature net twice as the authors\' loop' : 'PyTorch runs it once as ours'}`;
      stepRows.push(t.error ? [label, ours.toFixed(3), `– (${t.error})`, '–', new Date().toISOString().slice(0, 10)] : [label, ours.toFixed(3), `${t.secondsPerStep.toFixed(3)} (torch ${t.torch}, ${t.threads} threads)`, (ours / t.secondsPerStep).toFixed(2), new Date().toISOString().slice(0, 10)]);
      process.stdout.write(`${stepRows.at(-1).join(' | ')}\n`);
    }
  }
  let embedText = '';
  if (only.has('embed')) {
    const nodes = Number(argOf(args, '--nodes', '50000'));
    const r = timed(`node bench/embedLarge.mjs ${nodes} 1000`);
    if (r.code !== 0) throw new Error(r.stderr.slice(-2000));
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1));
    rows.push(['embedding (synthetic)', `${j.n} nodes, each lists 1000 (union: ${(j.entries / j.n).toFixed(0)} per node, ${j.entries} entries); 64 eigenvectors, ARPACK, ${j.products} products; graph build ${j.graphSeconds.toFixed(1)} s`, '–', '–', '–', '–', '–', `eigenvectors ${j.eigenSeconds.toFixed(1)} s (paper: 172 s for 47k users)`, r.wall.toFixed(1), r.cpu.toFixed(1), gib(r.peak), new Date().toISOString().slice(0, 10)]);
    process.stdout.write(`${rows.at(-1).join(' | ')}\n`);
  } else keep((r) => r[0].startsWith('embedding'));
  embedText = stepRows.length ? `\nOne DLR² training step against PyTorch (the architecture written in PyTorch from the same description, bench/torch_dlr2.py; random
embeddings; median of 30 steps; same machine, same run; the "authors' loop" row runs the feature net twice per step as their code does).
Ours runs every convolution and linear layer as OpenBLAS sgemm with the kernels the Machine line names; PyTorch's convolutions run on
its bundled oneDNN (MKL-DNN), which chooses its instruction set by itself (on an AVX-512 processor, AVX-512 whatever OPENBLAS_CORETYPE says):

${table(STEP_HEAD, stepRows.filter((r) => r.length === STEP_HEAD.length))}
` : '';

  const order = (r) => (r[0].startsWith('embedding') ? 3 : r[0].startsWith('dlr2 ·') ? 2 : r[0] === 'dlr2' ? 1 : 0);
  rows.sort((a, b) => order(a) - order(b));
  writeSection('ranking', 'Top-N ranking: LEPORID + DLR² and baselines (MovieLens-100K)', `Protocol: u.data, users and items with ≥ 20 interactions (repeated until stable), per user chronological 70 / 10 / 20,
implicit interactions, every item the user has not interacted with in train ∪ validation ranked (no sampling); metrics averaged
over the test users. (a) = test metrics at the validation-best evaluation (by HR@10), (c) = the best test HR@10 over evaluations
("test-selected, paper protocol"). The paper's numbers are on ML-1M (DLR² + LEPORID HR@10 0.7026, ItemKNN 0.5235, UserKNN 0.5419,
TopPop 0.4377; Table 4) — not comparable with ML-100K's. The authors' DLR² code could not be run here (no network), so there is
no reference DLR² figure on this split; MODELS.md's measured baselines on it: ItemKNN 0.7012, UserKNN 0.7067 (k = 50).
cpu backend (tfjs CPU + OpenBLAS), 2 threads.

${table(HEAD, rows)}
${seedText(rows)}${provenance}${embedText}`, `npm run bench -- ranking ${args.filter((a) => !a.startsWith('/')).join(' ')}`.trim());
  fs.rmSync(runsDir, { recursive: true, force: true });
}
