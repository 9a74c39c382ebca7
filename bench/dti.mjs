// Drug–target interaction, the SGMC paper's protocol (its Section 6, Table 6):
//   npm run bench -- dti [--datasets nr,gpcr] [--models sgmc,dmf] [--seeds 5] [--folds 10] [--set key=value …]
// For each dataset (../shared/datasets/dti-yamanishi/<name>_admat_dgc.txt), model and setting — CVS1 (random pairs
// held out), CVS2 (whole drugs), CVS3 (whole targets) — `folds`-fold cross-validation repeated with `seeds` seeds
// (split cvsN:<folds>:<fold>:<seed>), through executeRun (the same path as the CLI). Reports mean ± std over all
// seed × fold runs of the test AUC, AUPR and RMSE at the validation-selected evaluation (a), beside the paper's
// numbers (from the dataset folder's README). The model settings are the table's "settings" column.
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { out, root, writeSection, table, readSection, argOf, argAll } from './common.mjs';

const require = createRequire(import.meta.url);
// the paper's Table 6 (SGMC rows) for GPCRs, from ../shared/datasets/dti-yamanishi/README.md
const PAPER = { gpcr: { cvs1: 'AUC 0.9831 · AUPR 0.8691 · RMSE 0.0954', cvs2: 'AUC 0.9750 · AUPR 0.8836 · RMSE 0.1009', cvs3: 'AUC 0.9299 · AUPR 0.7232 · RMSE 0.1179' } };
const DEFAULT_SET = { optimizer: 'adam', lr: 0.001, iterations: 3000, evalEvery: 300 };

const meanStd = (xs) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(4)} ± ${sd.toFixed(4)}`;
};

export async function run(args) {
  const { executeRun } = require(out('src/core/run.js'));
  const dir = path.resolve(argOf(args, '--data', path.join(root, '..', 'shared', 'datasets', 'dti-yamanishi')));
  const datasets = argOf(args, '--datasets', 'nr,gpcr').split(',');
  const models = argOf(args, '--models', 'sgmc,dmf').split(',');
  const seeds = Number(argOf(args, '--seeds', '5'));
  const folds = Number(argOf(args, '--folds', '10'));
  const overrides = { ...DEFAULT_SET, ...Object.fromEntries(argAll(args, '--set').map((kv) => { const [k, v] = kv.split('='); return [k, Number.isNaN(Number(v)) ? v : Number(v)]; })) };
  const settings = Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ');
  const sink = { log: () => undefined, backend: () => undefined, dataset: () => undefined, epoch: () => undefined, loss: () => undefined, artifact: () => undefined, progress: () => undefined };
  const head = ['dataset', 'model', 'setting', 'runs', 'AUC (a)', 'AUPR (a)', 'RMSE (a)', 'paper (SGMC)', 'seconds', 'settings'];
  const prev = new Map(readSection('dti').rows.slice(1).map((r) => [r.slice(0, 3).join('|'), r]));
  for (const ds of datasets) {
    const train = path.join(dir, `${ds}_admat_dgc.txt`);
    for (const model of models) {
      for (const cvs of ['cvs1', 'cvs2', 'cvs3']) {
        const auc = [], aupr = [], rmse = [];
        const t0 = Date.now();
        for (let seed = 1; seed <= seeds; seed++) {
          for (let fold = 0; fold < folds; fold++) {
            const spec = { model, task: 'interaction', overrides, dataset: { train }, split: `${cvs}:${folds}:${fold}:${seed}`, valFraction: 0.05, seed, backend: 'cpu' };
            const r = await executeRun(spec, sink, { runId: 'dti', setupBackend: async () => { throw new Error('no tfjs'); }, isCancelled: () => false });
            if (r.summary.status !== 'completed') throw new Error(`${ds} ${model} ${spec.split}: ${r.summary.error}`);
            const t = r.summary.selection.valSelected.test;
            if (Number.isFinite(t.auc)) auc.push(t.auc);
            if (Number.isFinite(t.aupr)) aupr.push(t.aupr);
            rmse.push(t.rmse);
            process.stderr.write(`\r${ds} ${model} ${spec.split}: AUC ${t.auc?.toFixed(4)}   `);
          }
        }
        const row = [ds, model, cvs.toUpperCase(), String(seeds * folds), meanStd(auc), meanStd(aupr), meanStd(rmse), model === 'sgmc' ? PAPER[ds]?.[cvs] ?? '—' : '—', ((Date.now() - t0) / 1000).toFixed(0), settings];
        prev.set(row.slice(0, 3).join('|'), row);
        process.stderr.write(`\n${row.join(' | ')}\n`);
      }
    }
  }
  writeSection('dti', 'Drug–target interaction: CVS1/2/3, the SGMC paper’s protocol (work in progress)', `${table(head, [...prev.values()])}\n\nEach row: ${folds}-fold cross-validation repeated with seeds 1, 2, … (runs = folds × seeds; CVS1: random target–drug pairs held out; CVS2: whole drugs; CVS3: whole targets), a 5% validation split of random pairs carved from each training part; mean ± sample std of the test metrics at the validation-selected evaluation (a). Similarities → 5-nearest-neighbour graphs. Seconds: wall time of all the row's runs on 2 cores (in-process executeRun; backend: no tfjs — dense products on OpenBLAS, float32 sgemm). The settings are ours (the paper's Table 5 values are not in this repository).`, `npm run bench -- dti --datasets ${datasets.join(',')} --models ${models.join(',')} --seeds ${seeds} --folds ${folds}`);
}
