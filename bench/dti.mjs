// Drug–target interaction, the SGMC paper's protocol (its Section 6, Table 6):
//   npm run bench -- dti [--datasets nr,gpcr] [--models sgmc,dmf] [--cvs cvs1,cvs2,cvs3] [--seeds 5] [--folds 10]
//                        [--set key=value …] [--profile-similarities full]
// For each dataset (../shared/datasets/dti-yamanishi/<name>_admat_dgc.txt), model and setting — CVS1 (random pairs
// held out), CVS2 (whole drugs), CVS3 (whole targets) — `folds`-fold cross-validation repeated with `seeds` seeds
// (split cvsN:<folds>:<fold>:<seed>), through executeRun (the same path as the CLI). Reports mean ± std over all
// seed × fold runs of the test AUC, AUPR and RMSE at the validation-selected evaluation (a), beside the paper's
// numbers (from the dataset folder's README). The model settings are the table's "settings" column: sgmc runs its
// `dti` preset, dmf the same optimiser settings (Adam 0.001, 3,000 steps).
// --profile-similarities full reproduces the MGRNNM code's data pipeline (getdata.m): to each side similarity it adds
// interaction-profile similarities of the rows/columns of the WHOLE interaction matrix (4 × correlation + 4 × cosine +
// 4 × Jaccard + 1 × (1 − Hamming), clipped at 0), computed once before the folds — so the held-out pairs shape the
// graphs. Those rows leak the test set; they are written labelled as such, to show what that pipeline gives, never as
// a result of ours.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { grmfFold, GRMF_SETTINGS } from './dtiGrmf.mjs';
import { out, root, writeSection, table, readSection, argOf, argAll } from './common.mjs';

const require = createRequire(import.meta.url);
// the paper's Table 6 (SGMC rows) for GPCRs, from ../shared/datasets/dti-yamanishi/README.md
const PAPER = { gpcr: { cvs1: 'AUC 0.9831 · AUPR 0.8691 · RMSE 0.0954', cvs2: 'AUC 0.9750 · AUPR 0.8836 · RMSE 0.1009', cvs3: 'AUC 0.9299 · AUPR 0.7232 · RMSE 0.1179' } };
const DEFAULT_SET = { optimizer: 'adam', lr: 0.001, iterations: 3000, evalEvery: 300 };
const PRESET = { sgmc: 'dti' };

/** MGRNNM's getdata.m: similarity of the rows of X by correlation, cosine, Jaccard and Hamming, weighted 4/4/4/1. */
function profileSimilarity(X) {
  const n = X.length;
  const S = Array.from({ length: n }, () => new Float64Array(n));
  const norm = X.map((r) => Math.sqrt(r.reduce((s, x) => s + x * x, 0)));
  const cen = X.map((r) => { const mu = r.reduce((s, x) => s + x, 0) / r.length; return r.map((x) => x - mu); });
  const cnorm = cen.map((r) => Math.sqrt(r.reduce((s, x) => s + x * x, 0)));
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let dot = 0, cdot = 0, inter = 0, uni = 0, diff = 0;
      for (let j = 0; j < X[a].length; j++) {
        const x = X[a][j], y = X[b][j];
        dot += x * y; cdot += cen[a][j] * cen[b][j];
        if (x || y) { uni++; if (x && y) inter++; }
        if (x !== y) diff++;
      }
      const cos = norm[a] && norm[b] ? dot / (norm[a] * norm[b]) : 0;
      const cor = cnorm[a] && cnorm[b] ? cdot / (cnorm[a] * cnorm[b]) : 0;
      const jac = uni ? inter / uni : 0;
      S[a][b] = 4 * cor + 4 * cos + 4 * jac + (1 - diff / X[a].length);
    }
  }
  return S;
}

/** A copy of <ds>'s three files in `tmp` with the side similarities plus the whole matrix's profile similarities. */
function mgrnnmCopy(dir, ds, tmp) {
  const { readYamanishiTable } = require(out('src/core/data/yamanishi.js'));
  const ad = readYamanishiTable(path.join(dir, `${ds}_admat_dgc.txt`));
  const nD = ad.colIds.length;
  const Y = ad.rowIds.map((_, i) => Array.from(ad.values.subarray(i * nD, (i + 1) * nD)));
  const Yt = Y[0].map((_, j) => Y.map((r) => r[j]));
  fs.copyFileSync(path.join(dir, `${ds}_admat_dgc.txt`), path.join(tmp, `${ds}_admat_dgc.txt`));
  for (const [suffix, P] of [['_simmat_dg.txt', profileSimilarity(Y)], ['_simmat_dc.txt', profileSimilarity(Yt)]]) {
    const t = readYamanishiTable(path.join(dir, `${ds}${suffix}`));
    const k = t.colIds.length;
    const body = t.rowIds.map((id, i) => [id, ...Array.from({ length: k }, (_, j) => String(Math.max(0, t.values[i * k + j] + P[i][j])))].join('\t'));
    fs.writeFileSync(path.join(tmp, `${ds}${suffix}`), ['', ...t.colIds].join('\t') + '\n' + body.join('\n') + '\n');
  }
  return path.join(tmp, `${ds}_admat_dgc.txt`);
}

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
  const settingsList = argOf(args, '--cvs', 'cvs1,cvs2,cvs3').split(',');
  const leaky = argOf(args, '--profile-similarities', 'none') === 'full';
  const tmp = leaky ? fs.mkdtempSync(path.join(os.tmpdir(), 'krl-dti-')) : undefined;
  const userSet = Object.fromEntries(argAll(args, '--set').map((kv) => { const [k, v] = kv.split('='); return [k, Number.isNaN(Number(v)) ? v : Number(v)]; }));
  const settingsOf = (model, ds, cvs) => {
    if (model === 'grmf') { const [l, d, t, p] = GRMF_SETTINGS[ds][cvs]; return `bench peer (bench/dtiGrmf.mjs), MGRNNM repo's GRMF settings: k=100, 2 ALS sweeps, λ_l=${l} λ_d=${d} λ_t=${t} p=${p}, no WKNKN, no validation`; }
    const { getModel } = require(out('src/core/models/catalogue.js'));
    const pre = PRESET[model] ? getModel(model).presets[PRESET[model]].values : {};
    const all = { ...(PRESET[model] ? {} : DEFAULT_SET), ...pre, ...userSet };
    return (PRESET[model] ? `preset ${PRESET[model]}: ` : '') + Object.entries(all).map(([k, v]) => `${k}=${v}`).join(' ');
  };
  const sink = { log: () => undefined, backend: () => undefined, dataset: () => undefined, epoch: () => undefined, loss: () => undefined, artifact: () => undefined, progress: () => undefined };
  const head = ['dataset', 'model', 'setting', 'runs', 'AUC (a)', 'AUPR (a)', 'RMSE (a)', 'paper (SGMC)', 'seconds', 'settings'];
  const prev = new Map(readSection('dti').rows.slice(1).map((r) => [r.slice(0, 3).join('|'), r]));
  for (const ds of datasets) {
    const train = leaky ? mgrnnmCopy(dir, ds, tmp) : path.join(dir, `${ds}_admat_dgc.txt`);
    const label = leaky ? `${ds} · MGRNNM similarities (leak test)` : ds;
    // the GRMF peer reads the dataset once and splits it per fold
    const { loadDataset, prepareSplit } = require(out('src/core/data/dataset.js'));
    const { parseSplit } = require(out('src/core/data/splits.js'));
    const data = models.includes('grmf') ? await loadDataset({ train }) : undefined;
    for (const model of models) {
      const overrides = { ...(PRESET[model] ? {} : DEFAULT_SET), ...userSet };
      for (const cvs of settingsList) {
        const auc = [], aupr = [], rmse = [];
        const t0 = Date.now();
        for (let seed = 1; seed <= seeds; seed++) {
          for (let fold = 0; fold < folds; fold++) {
            if (model === 'grmf') {
              // the bench peer: fitted on the whole training part (no validation), the same folds
              const t = grmfFold(data, prepareSplit(data, parseSplit(`${cvs}:${folds}:${fold}:${seed}`), 0, seed), GRMF_SETTINGS[ds][cvs]);
              auc.push(t.auc); aupr.push(t.aupr); rmse.push(t.rmse);
              continue;
            }
            const spec = { model, task: 'interaction', preset: PRESET[model], overrides, dataset: { train }, split: `${cvs}:${folds}:${fold}:${seed}`, valFraction: 0.05, seed, backend: 'cpu' };
            const r = await executeRun(spec, sink, { runId: 'dti', setupBackend: async () => { throw new Error('no tfjs'); }, isCancelled: () => false });
            if (r.summary.status !== 'completed') throw new Error(`${ds} ${model} ${spec.split}: ${r.summary.error}`);
            const t = r.summary.selection.valSelected.test;
            if (Number.isFinite(t.auc)) auc.push(t.auc);
            if (Number.isFinite(t.aupr)) aupr.push(t.aupr);
            rmse.push(t.rmse);
            process.stderr.write(`\r${ds} ${model} ${spec.split}: AUC ${t.auc?.toFixed(4)}   `);
          }
        }
        const row = [label, model, cvs.toUpperCase(), String(seeds * folds), meanStd(auc), meanStd(aupr), meanStd(rmse), model === 'sgmc' ? PAPER[ds]?.[cvs] ?? '—' : '—', ((Date.now() - t0) / 1000).toFixed(0), settingsOf(model, ds, cvs)];
        prev.set(row.slice(0, 3).join('|'), row);
        process.stderr.write(`\n${row.join(' | ')}\n`);
      }
    }
  }
  writeSection('dti', 'Drug–target interaction: CVS1/2/3, the SGMC paper’s protocol (work in progress)', `${table(head, [...prev.values()])}\n\nEach row: ${folds}-fold cross-validation repeated with seeds 1, 2, … (runs = folds × seeds; CVS1: random target–drug pairs held out; CVS2: whole drugs; CVS3: whole targets), a 5% validation split of random pairs carved from each training part; mean ± sample std of the test metrics at the validation-selected evaluation (a). The grmf rows are a baseline written in the bench (bench/dtiGrmf.mjs: Ezzat et al.'s weighted GRMF, the MGRNNM repository's settings, no WKNKN) fitted on the whole training part of the same folds. Similarities → 5-nearest-neighbour graphs (sgmc: their normalised Laplacians, the \`dti\` preset). Rows marked "MGRNNM similarities (leak test)" (\`--profile-similarities full\`) add to each side similarity the interaction-profile similarities of the whole matrix, as the MGRNNM code's getdata.m does before its folds: the held-out pairs shape the graphs, so those rows leak the test set — shown only to explain the published numbers, not a result. Seconds: wall time of all the row's runs on 2 cores (in-process executeRun; backend: no tfjs — dense products on OpenBLAS, float32 sgemm). The settings are ours (the paper's Table 5 values are not in this repository).`, `npm run bench -- dti --datasets ${datasets.join(',')} --models ${models.join(',')} --seeds ${seeds} --folds ${folds}${settingsList.length < 3 ? ` --cvs ${settingsList.join(',')}` : ''}${leaky ? ' --profile-similarities full' : ''}`);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
