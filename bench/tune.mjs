// Hyper-parameter selection on the validation split only:
//   npm run bench -- tune --model sparse-fc --preset ml-100k --grid lambda2=20,60 --grid lambdaS=0.006,0.013 [--set maxiter=5] [--epochs 8] [--data <ml-100k dir>]
// A thin wrapper over the sweep engine (kernel-rec-lab sweep / sweep-status: the same expansion, runs and selection
// rule as the product's sweeps). Every combination is trained on u1.base minus the same 5% validation split (seed
// 1234) that `accuracy` uses for (a); the score is the best validation value of the run's selection metric over
// epochs (RMSE for the rating models). Rows of earlier runs with the same grid keys are kept. The run still evaluates u1.test each epoch (the same code
// path as every run), but this script never uses or prints those numbers, so the choice cannot peek at the test set. The table goes to BENCHMARKS.md, one section per model, grid keys and fixed settings (--set, --epochs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { out, root, writeSection, table, readSection, u1Spec, argOf, argAll, ml100kDir } from './common.mjs';

const require = createRequire(import.meta.url);

/**
 * The grid through the sweep engine (the product's own: kernel-rec-lab sweep, then sweep-status --json): one run
 * per point in a trainer process on the cpu backend, each point's score its best validation value of the selection
 * metric over epochs (= the validation value at its val-selected epoch (a)). Returns the sweep-status rows.
 */
function sweepGrid(model, preset, extra, grid, train) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-tune-'));
  try {
    const file = path.join(dir, 'tune.krl.json');
    fs.writeFileSync(file, JSON.stringify({
      name: `tune-${model}`, dataset: train, split: 'given', valFraction: 0.05, backend: 'cpu',
      runs: [{ model, ...(preset ? { preset } : {}), ...(Object.keys(extra).length ? { overrides: extra } : {}), seeds: [1234], grid: Object.fromEntries(grid) }],
    }, null, 2));
    const cli = path.join(root, 'dist', 'cli.js');
    const runs = path.join(dir, 'runs');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, 'sweep', file, '--runs-dir', runs, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`kernel-rec-lab sweep exited with ${r.status}`);
    const st = spawnSync(process.execPath, [cli, 'sweep-status', file, '--runs-dir', runs, '--json'], { encoding: 'utf8' });
    if (st.status !== 0) throw new Error(`kernel-rec-lab sweep-status: ${st.stderr}`);
    const status = JSON.parse(st.stdout.trim().split('\n').at(-1));
    for (const row of status.rows) {
      const metrics = fs.readFileSync(path.join(runs, row.runId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const summary = JSON.parse(fs.readFileSync(path.join(runs, row.runId, 'summary.json'), 'utf8'));
      row.epochs = metrics.length;
      row.at = summary.selection.valSelected.globalEpoch;
      row.seconds = summary.seconds;
      process.stderr.write(`${model} ${JSON.stringify(row.point)}: best validation ${status.metric} ${row.val?.toFixed(4)} at epoch ${row.at}/${row.epochs}, ${row.seconds.toFixed(0)} s\n`);
    }
    process.stderr.write(`sweep of ${status.rows.length} point(s): ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    return status;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows of an earlier run of the same model and grid keys (so a second grid adds to the table). */
function previousRows(section, head) {
  const { rows } = readSection(section);
  if (!rows.length || rows[0].join('|') !== head.join('|')) return [];
  return rows.slice(1);
}

/** A --grid or --set value: a number, or a word for an enum parameter (center=biases); '' and undefined pass through. */
const numberOrWord = (v) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

export async function run(args) {
  const model = argOf(args, '--model', 'sparse-fc');
  // --preset none: the model's defaults (a model without an ml-100k preset yet, e.g. while choosing one)
  const presetArg = argOf(args, '--preset', 'ml-100k');
  const preset = presetArg === 'none' ? undefined : presetArg;
  const data = ml100kDir(args);
  const grid = argAll(args, '--grid').map((g) => {
    const [key, values] = g.split('=');
    return [key, values.split(',').map(numberOrWord)];
  });
  if (!grid.length) throw new Error('give at least one --grid key=v1,v2,…');
  const extra = Object.fromEntries(argAll(args, '--set').map((kv) => { const [k, v] = kv.split('='); return [k, numberOrWord(v)]; }));
  if (args.includes('--epochs')) extra.epochs = Number(argOf(args, '--epochs'));
  for (const [k, v] of Object.entries(extra)) if (v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) throw new Error(`--set ${k}: no value`);
  // --train <file>: another training file with its own test part (Monti's split_1.mat for the spectral models); default u1.base
  const trainFile = args.includes('--train') ? path.resolve(argOf(args, '--train')) : path.join(data, 'u1.base');
  const fixed = Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(', ');
  const section = `tune-${model}-${[...grid.map(([k]) => k), ...Object.entries(extra).map(([k, v]) => `${k}${v}`)].join('-')}`;
  const { getModel } = require(out('src/core/models/catalogue.js'));
  const { resolveTask } = require(out('src/core/tasks/resolve.js'));
  const { select } = resolveTask(getModel(model), u1Spec(model, preset, ''));
  const sign = select.direction === 'lower' ? 1 : -1;
  const head = [...grid.map(([k]) => k), `best validation ${select.label}`, 'at epoch', 'seconds'];
  const nk = grid.length;
  const rows = new Map(previousRows(section, head).map((r) => [r.slice(0, nk).join('|'), r]));
  const status = sweepGrid(model, preset, extra, grid, trainFile);
  for (const x of status.rows) {
    if (x.state !== 'completed') throw new Error(`${model} ${JSON.stringify(x.point)}: the run ${x.state}`);
    const row = [...grid.map(([k]) => String(x.point[k])), x.val.toFixed(4), `${x.at}/${x.epochs}`, x.seconds.toFixed(0)];
    rows.set(row.slice(0, nk).join('|'), row);
  }
  const order = (x, y) => (Number.isFinite(Number(x)) && Number.isFinite(Number(y)) ? Number(x) - Number(y) : String(x).localeCompare(String(y)));
  const all = [...rows.values()].sort((a, b) => a.slice(0, nk).reduce((d, x, i) => d || order(x, b[i]), 0));
  const best = all.reduce((w, r) => (sign * Number(r[nk]) < sign * Number(w[nk]) ? r : w));
  const winner = { c: Object.fromEntries(grid.map(([k], i) => [k, best[i]])), s: { best: Number(best[nk]) } };
  const chosen = grid.map(([k]) => `${k} = ${winner.c[k]}`).join(', ');
  const command = `npm run bench -- tune --model ${model} --preset ${presetArg}${args.includes('--train') ? ` --train ${path.relative(root, trainFile)}` : ''}${grid.map(([k, v]) => ` --grid ${k}=${v.join(',')}`).join('')}${Object.entries(extra).map(([k, v]) => ` --set ${k}=${v}`).join('')}`;
  writeSection(section, `Hyper-parameter selection: ${model} (${preset ? `${preset} preset` : 'defaults'}${fixed ? `, ${fixed}` : ''}) on the validation split`, `${table(head, all)}\n\nEach row: cpu backend (OpenBLAS), trained on ${path.basename(trainFile)} minus a 5% validation split (seed 1234, the split \`accuracy\` uses for (a)), other hyper-parameters from the ${preset ? 'preset' : 'defaults'}${fixed ? ` except ${fixed}` : ''}; the score is the ${sign > 0 ? 'lowest' : 'highest'} validation ${select.label} over epochs; test numbers are not used or shown. Rows from earlier runs of the same grid keys are kept (the command shows the latest grid). Chosen: **${chosen}**.`, command);
  process.stdout.write(`tune model=${model} ${grid.map(([k]) => `${k}=${winner.c[k]}`).join(' ')} val_${select.key}=${winner.s.best.toFixed(4)}\n`);
}
