// MovieLens-100K u1 (../shared/datasets/ml-100k by default, or --data <dir>): GLocal-K, Sparse FC, kernelNet,
// I-AutoRec and the baselines with their ML-100K presets, through the same path as the CLI. Table: model,
// (a) val-selected, (b) last, (c) test-selected (paper protocol), paper number, Δ, seconds, backend.
// --folds also runs GLocal-K on u1…u5 (its own section: per-fold table, mean ± std of (a), (b), (c)); --models a,b
// limits the models (--models glocal-k --folds: u1 once, then u2…u5).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { out, writeSection, table, gitRev, readSection, argOf, ml100kDir, cliTrain } from './common.mjs';

const HEAD = ['model', '(a) val-selected', '(b) last', '(c) test-selected (paper protocol)', 'paper', 'Δ (c) vs paper', 'seconds', 'peak RSS', 'backend', 'measured'];

/** Rows already in BENCHMARKS.md's accuracy section, by model id (so --models updates only those rows). */
function previousRows() {
  const { body, rows: lines } = readSection('accuracy');
  const rows = new Map();
  const when = /date (\S+) · commit (\S+)/.exec(body);
  for (const cells of lines) {
    // tables written before the 'measured' column carry the section's date and commit
    if (cells.length === HEAD.length - 2 && when) cells.push(`${when[1]} ${when[2]}`);
    // rows written before the 'peak RSS' column: not measured then
    if (cells.length === HEAD.length - 1) cells.splice(7, 0, '—');
    if (cells.length !== HEAD.length || cells[0] === 'model') continue;
    rows.set(cells[0].split(' ')[0], cells);
  }
  return rows;
}

const require = createRequire(import.meta.url);
const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : '—');
/** The test value of the run's selection metric (RMSE for these rating models) at selection w ((a) valSelected, (b) last, (c) testSelected). */
const rmseOf = (s, w) => (s ? require(out('src/core/tasks/format.js')).selected(s, w) : NaN);
const paperRmse = (s) => s?.paper?.metrics[s.selectBy];
const MODELS = [
  ['glocal-k', 'ml-100k'], ['sparse-fc', 'ml-100k'], ['kernelnet', 'ml-100k'], ['i-autorec', 'ml-100k'], ['biased-mf', undefined], ['regularized-svd', 'prea'], ['llorma', 'ml-100k'], ['user-item-mean', undefined], ['global-mean', undefined],
];

/**
 * One model through the CLI's trainer process under GNU time (the path a user's run takes): the summary from its run
 * folder and the peak RSS of the largest process (the trainer).
 */
async function runOne(model, preset, train, runsDir) {
  const args = ['--model', model, ...(preset ? ['--preset', preset] : []), '--train', train, '--split', 'given', '--val', '0.05', '--seed', '1234', '--backend', 'cpu'];
  process.stderr.write(`${model}${preset ? ` (${preset})` : ''} on ${path.basename(train)} …\n`);
  const r = cliTrain(args, runsDir);
  const s = JSON.parse(fs.readFileSync(path.join(runsDir, r.summary.runId, 'summary.json'), 'utf8'));
  process.stderr.write(`${model}: ${s.status} (a) ${f4(rmseOf(s, 'valSelected'))} (c) ${f4(rmseOf(s, 'testSelected'))} in ${s.seconds.toFixed(0)} s, peak RSS ${(r.peak / 2 ** 30).toFixed(2)} GiB\n`);
  if (s.status !== 'completed') throw new Error(`${model}: ${s.error}`);
  return { ...s, peak: r.peak };
}

export async function run(args) {
  const data = ml100kDir(args);
  const only = argOf(args, '--models')?.split(',');
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-bench-acc-'));
  const rows = previousRows();
  const res = {};
  const stamp = `${new Date().toISOString().slice(0, 10)} ${gitRev()}`;
  const command = `npm run bench -- accuracy --data ../shared/datasets/ml-100k${only ? ` --models ${only.join(',')}` : ''}${args.includes('--folds') ? ' --folds' : ''}`;
  for (const [model, preset] of MODELS) {
    if (only && !only.includes(model)) continue;
    const s = await runOne(model, preset, path.join(data, 'u1.base'), runsDir);
    res[model] = s;
    const pr = paperRmse(s);
    const d = pr !== undefined ? rmseOf(s, 'testSelected') - pr : undefined;
    rows.set(model, [model + (preset ? ` (${preset})` : ''), f4(rmseOf(s, 'valSelected')), f4(rmseOf(s, 'last')), f4(rmseOf(s, 'testSelected')), pr !== undefined ? f4(pr) : '—', d !== undefined ? `${d >= 0 ? '+' : ''}${d.toFixed(4)}` : '—', s.seconds.toFixed(0), `${(s.peak / 2 ** 30).toFixed(2)} GiB`, s.backend, stamp]);
  }
  if (args.includes('--folds')) {
    // u1 reuses this invocation's run when there was one
    const per = [];
    for (let k = 1; k <= 5; k++) per.push(k === 1 && res['glocal-k'] ? res['glocal-k'] : await runOne('glocal-k', 'ml-100k', path.join(data, `u${k}.base`), runsDir));
    const ms = (key) => { const xs = per.map((s) => rmseOf(s, key)); const m = xs.reduce((p, q) => p + q, 0) / xs.length; const sd = Math.sqrt(xs.reduce((p, q) => p + (q - m) ** 2, 0) / (xs.length - 1)); return `${m.toFixed(4)} ± ${sd.toFixed(4)}`; };
    const rowsK = per.map((s, i) => [`u${i + 1}`, f4(rmseOf(s, 'valSelected')), f4(rmseOf(s, 'last')), f4(rmseOf(s, 'testSelected')), s.seconds.toFixed(0)]);
    writeSection('accuracy-folds', 'Accuracy: GLocal-K over MovieLens-100K u1…u5', `(a) val-selected ${ms('valSelected')}, (b) last ${ms('last')}, (c) test-selected ${ms('testSelected')} (mean ± sample std over the five folds; paper 0.890 on u1). ml-100k preset, cpu backend (OpenBLAS), the protocol of the u1 table above.\n\n${table(['fold', '(a) val-selected', '(b) last', '(c) test-selected (paper protocol)', 'seconds'], rowsK)}`, command);
  }
  const ordered = MODELS.map(([m]) => rows.get(m)).filter(Boolean);
  writeSection('accuracy', 'Accuracy: MovieLens-100K u1 (80k/20k)', `${table(HEAD, ordered)}\n\n(a) test RMSE at the epoch with the best RMSE on a 5% validation split carved from u1.base (seed 1234; the model is fitted on the other 95%); (b) last epoch; (c) best test RMSE over epochs — selected on the test set, as the papers report. Predictions clipped to [1, 5]. Seconds: wall time of the whole run on the 2-core machine (cpu backend, OpenBLAS); peak RSS: GNU time's maximum resident set of the trainer process (each run goes through the CLI); 'measured' gives the date and commit of each row (--models reruns only some rows).`, command);
  fs.rmSync(runsDir, { recursive: true, force: true });
  const g = res['glocal-k'];
  process.stdout.write(`accuracy glocal_k_valsel=${f4(rmseOf(g, 'valSelected'))} glocal_k_testsel=${f4(rmseOf(g, 'testSelected'))} sparse_fc_valsel=${f4(rmseOf(res['sparse-fc'], 'valSelected'))} seconds_glocal_k=${g ? g.seconds.toFixed(0) : '—'}\n`);
}
