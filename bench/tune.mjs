// Hyper-parameter selection on the validation split only:
//   npm run bench -- tune --model sparse-fc --preset ml-100k --grid lambda2=20,60 --grid lambdaS=0.006,0.013 [--set maxiter=5] [--epochs 8] [--data <ml-100k dir>]
// Every combination is trained on u1.base minus the same 5% validation split (seed 1234) that `accuracy` uses for
// (a); the score is the best validation value of the run's selection metric over epochs (RMSE for the rating models). Rows of earlier runs with the same grid keys are kept. The run still evaluates u1.test each epoch (the same code
// path as every run), but this script never reads or prints those numbers, so the choice cannot peek at the test set. The table goes to BENCHMARKS.md, one section per model, grid keys and fixed settings (--set, --epochs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { out, writeSection, table, readSection, u1Spec, argOf, argAll, ml100kDir } from './common.mjs';

const require = createRequire(import.meta.url);

function combos(grid) {
  let acc = [{}];
  for (const [key, values] of grid) acc = acc.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return acc;
}

async function validationScore(model, preset, overrides, train) {
  const { executeRun } = require(out('src/core/run.js'));
  const { setupBackend } = require(out('src/trainer/backend.js'));
  const { getModel } = require(out('src/core/models/catalogue.js'));
  const { resolveTask } = require(out('src/core/tasks/resolve.js'));
  const spec = u1Spec(model, preset, train, overrides);
  // the score: the run's selection metric on the validation part (its task's default, e.g. RMSE for ratings)
  const { select } = resolveTask(getModel(model), spec);
  const sign = select.direction === 'lower' ? 1 : -1;
  const val = [];
  const sink = {
    log: () => undefined, backend: () => undefined, dataset: () => undefined, loss: () => undefined, artifact: () => undefined, progress: () => undefined,
    epoch: (m) => { val.push(m.val[select.key]); process.stderr.write(`\r${model} ${JSON.stringify(overrides)} ${m.phase} ${m.epoch}/${m.epochs} val ${select.label} ${m.val[select.key]?.toFixed(4)}   `); },
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-tune-'));
  try {
    const r = await executeRun(spec, sink, { runId: 'tune', setupBackend, isCancelled: () => false, artifactsDir: path.join(dir, 'artifacts') });
    if (r.summary.status !== 'completed') throw new Error(`${model} ${JSON.stringify(overrides)}: ${r.summary.error}`);
    let best = Infinity;
    let at = -1;
    val.forEach((v, i) => { if (sign * v < best) { best = sign * v; at = i + 1; } });
    best *= sign;
    process.stderr.write(`\n${model} ${JSON.stringify(overrides)}: best validation ${select.label} ${best.toFixed(4)} at epoch ${at}/${val.length}, ${r.summary.seconds.toFixed(0)} s\n`);
    return { best, at, epochs: val.length, seconds: r.summary.seconds, label: select.label, sign };
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

export async function run(args) {
  const model = argOf(args, '--model', 'sparse-fc');
  // --preset none: the model's defaults (a model without an ml-100k preset yet, e.g. while choosing one)
  const presetArg = argOf(args, '--preset', 'ml-100k');
  const preset = presetArg === 'none' ? undefined : presetArg;
  const data = ml100kDir(args);
  const grid = argAll(args, '--grid').map((g) => {
    const [key, values] = g.split('=');
    return [key, values.split(',').map(Number)];
  });
  if (!grid.length) throw new Error('give at least one --grid key=v1,v2,…');
  const extra = Object.fromEntries(argAll(args, '--set').map((kv) => { const [k, v] = kv.split('='); return [k, Number(v)]; }));
  if (args.includes('--epochs')) extra.epochs = Number(argOf(args, '--epochs'));
  for (const [k, v] of Object.entries(extra)) if (!Number.isFinite(v)) throw new Error(`--set ${k}: not a number`);
  const fixed = Object.entries(extra).map(([k, v]) => `${k} ${v}`).join(', ');
  const section = `tune-${model}-${[...grid.map(([k]) => k), ...Object.entries(extra).map(([k, v]) => `${k}${v}`)].join('-')}`;
  const { getModel } = require(out('src/core/models/catalogue.js'));
  const { resolveTask } = require(out('src/core/tasks/resolve.js'));
  const { select } = resolveTask(getModel(model), u1Spec(model, preset, ''));
  const sign = select.direction === 'lower' ? 1 : -1;
  const head = [...grid.map(([k]) => k), `best validation ${select.label}`, 'at epoch', 'seconds'];
  const nk = grid.length;
  const rows = new Map(previousRows(section, head).map((r) => [r.slice(0, nk).join('|'), r]));
  for (const c of combos(grid)) {
    const s = await validationScore(model, preset, { ...c, ...extra }, path.join(data, 'u1.base'));
    const row = [...grid.map(([k]) => String(c[k])), s.best.toFixed(4), `${s.at}/${s.epochs}`, s.seconds.toFixed(0)];
    rows.set(row.slice(0, nk).join('|'), row);
  }
  const all = [...rows.values()].sort((a, b) => a.slice(0, nk).map(Number).reduce((d, x, i) => d || x - Number(b[i]), 0));
  const best = all.reduce((w, r) => (sign * Number(r[nk]) < sign * Number(w[nk]) ? r : w));
  const winner = { c: Object.fromEntries(grid.map(([k], i) => [k, best[i]])), s: { best: Number(best[nk]) } };
  const chosen = grid.map(([k]) => `${k} = ${winner.c[k]}`).join(', ');
  const command = `npm run bench -- tune --model ${model} --preset ${presetArg}${grid.map(([k, v]) => ` --grid ${k}=${v.join(',')}`).join('')}${Object.entries(extra).map(([k, v]) => ` --set ${k}=${v}`).join('')}`;
  writeSection(section, `Hyper-parameter selection: ${model} (${preset ? `${preset} preset` : 'defaults'}${fixed ? `, ${fixed}` : ''}) on the validation split`, `${table(head, all)}\n\nEach row: cpu backend (OpenBLAS), trained on u1.base minus a 5% validation split (seed 1234, the split \`accuracy\` uses for (a)), other hyper-parameters from the ${preset ? 'preset' : 'defaults'}${fixed ? ` except ${fixed}` : ''}; the score is the ${sign > 0 ? 'lowest' : 'highest'} validation ${select.label} over epochs; test numbers are not used or shown. Rows from earlier runs of the same grid keys are kept (the command shows the latest grid). Chosen: **${chosen}**.`, command);
  process.stdout.write(`tune model=${model} ${grid.map(([k]) => `${k}=${winner.c[k]}`).join(' ')} val_${select.key}=${winner.s.best.toFixed(4)}\n`);
}
