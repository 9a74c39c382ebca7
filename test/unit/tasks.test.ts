// Tasks and metrics as data: metric functions against hand-computed values, the ranking evaluator's candidate
// rule, the filter and the three-way chronological split on hand-made data, and two toy tasks end to end — a ranking
// run (TopPop, and biased MF ranked by predicted rating, selected by a higher-is-better metric) and an interaction
// run ((row mean + column mean)/2 on a 0/1 matrix) — through the harness, the CLI's table and --json summary, and the
// CSV export.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { auc, aupr, rankingAtK } from '../../src/core/tasks/metricFunctions';
import { getTask, rankingMetrics } from '../../src/core/tasks/tasks';
import { makeEvaluator, topK } from '../../src/core/tasks/evaluators';
import { selected } from '../../src/core/tasks/format';
import { chronological3, filterMinInteractions, parseSplit } from '../../src/core/data/splits';
import { IdMap, RatingMatrix } from '../../src/core/data/ratingMatrix';
import { executeRun, RunSink } from '../../src/core/run';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { RunStore, recordingSink } from '../../src/host/runStore';
import { metricsCsv } from '../../src/host/exporter';
import { buildRunSpec } from '../../src/host/runSpecBuilder';
import type { EpochMetrics, RunSpec } from '../../src/protocol/types';
import { repoRoot, tmpDir, writeFile } from './helpers';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('AUC and AUPR against hand-computed values (ties counted half)', () => {
  // positives at scores 0.9, 0.4; negatives at 0.8, 0.4, 0.1 → pairs won: (0.9 > all 3) = 3, (0.4: > 0.1, tie 0.4) = 1.5
  close(auc([0.9, 0.8, 0.4, 0.4, 0.1], [1, 0, 1, 0, 0]), 4.5 / 6);
  close(auc([3, 2, 1], [1, 1, 0]), 1);
  assert.ok(Number.isNaN(auc([1, 2], [1, 1])));
  // descending: 0.9(+) → P 1, R 1/2; 0.8(−); {0.4(+), 0.4(−)} one threshold → P 2/4, R 1; 0.1(−)
  close(aupr([0.9, 0.8, 0.4, 0.4, 0.1], [1, 0, 1, 0, 0]), 0.5 * 1 + 0.5 * 0.5);
  close(aupr([0.1, 0.2, 0.3], [0, 0, 1]), 1);
});

test('ranking metrics at k against hand-computed values', () => {
  const r = rankingAtK([7, 2, 9, 4, 1], new Set([9, 1, 5]), 5);
  assert.equal(r.hr, 1);
  close(r.precision, 2 / 5);
  close(r.recall, 2 / 3);
  close(r.f1, (2 * 0.4 * (2 / 3)) / (0.4 + 2 / 3));
  close(r.ndcg, (1 / Math.log2(4) + 1 / Math.log2(6)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)));
  const miss = rankingAtK([7, 2], new Set([9]), 2);
  assert.deepEqual([miss.hr, miss.precision, miss.recall, miss.f1, miss.ndcg], [0, 0, 0, 0, 0]);
  assert.deepEqual(rankingMetrics([1, 10]).map((m) => m.key), ['hr@1', 'hr@10', 'p@1', 'p@10', 'r@1', 'r@10', 'f1@1', 'f1@10', 'ndcg@1', 'ndcg@10']);
  assert.ok(rankingMetrics().every((m) => m.direction === 'higher'));
  assert.deepEqual(Array.from(topK([0.5, 0.9, 0.9, 0.1, 0.7], 0, 5, (i) => i === 4, 3)), [1, 2, 0], 'ties to the lower index; excluded items skipped');
});

function matrix(triples: [number, number, number, number?][], nUsers: number, nItems: number): RatingMatrix {
  const ts = triples.some((t) => t[3] !== undefined) ? Float64Array.from(triples, (t) => t[3] ?? 0) : undefined;
  return new RatingMatrix(Int32Array.from(triples, (t) => t[0]), Int32Array.from(triples, (t) => t[1]), Float32Array.from(triples, (t) => t[2]), new IdMap(Array.from({ length: nUsers }, (_, i) => i + 1)), new IdMap(Array.from({ length: nItems }, (_, i) => i + 1)), ts);
}

test('the ranking evaluator ranks only items outside train ∪ validation and averages over users with held-out items', async () => {
  // 2 users × 6 items. user 0: fit {0, 1}, val {2}, test {3}; user 1: fit {5}, val {}, test {0, 4}
  const fit = matrix([[0, 0, 5], [0, 1, 4], [1, 5, 3]], 2, 6);
  const val = matrix([[0, 2, 5]], 2, 6);
  const test = matrix([[0, 3, 4], [1, 0, 2], [1, 4, 1]], 2, 6);
  const task = getTask('ranking', [1, 2]);
  const ev = makeEvaluator(task, { fit, val, test, nUsers: 2, nItems: 6, scale: { min: 1, max: 5, step: 1 } });
  // scores: the item index itself, higher first → candidates in order 5, 4, 3, 2, 1, 0 minus the seen ones
  const seenScorer = async (users: Int32Array) => Float32Array.from({ length: users.length * 6 }, (_, k) => k % 6);
  const r = await ev({ predict: () => new Float32Array(0), scoreUsers: seenScorer });
  // test, user 0: candidates exclude {0,1,2} → ranked 5, 4, 3; relevant {3}: @1 miss, @2 miss
  // test, user 1: candidates exclude {5} → ranked 4, 3, 2, 1, 0; relevant {0, 4}: @1 hit, @2 1 hit
  close(r.test['hr@1'], 0.5);
  close(r.test['hr@2'], 0.5);
  close(r.test['p@2'], (0 + 0.5) / 2);
  close(r.test['r@2'], (0 + 0.5) / 2);
  // validation: only user 0 has validation items; candidates exclude fit {0, 1} → 5, 4, 3, 2; relevant {2}
  close(r.val['hr@2'], 0);
  assert.deepEqual(r.train, {});
  // a scorer that loves the seen items cannot score with them
  const lovesSeen = async (users: Int32Array) => Float32Array.from({ length: users.length * 6 }, (_, k) => (k % 6 <= 2 ? 100 : k % 6));
  const r2 = await ev({ predict: () => new Float32Array(0), scoreUsers: lovesSeen });
  close(r2.test['hr@1'], 0.5, 0); // user 0's top-1 is 5, user 1's top-1 is item 0 (seen only by user 0) → hit
});

test('minimum-interactions filter repeats until stable; three-way chronological split per user', () => {
  // round 1: user 3 (1 rating) and item 2 (1 rating) go; round 2: item 3 falls to 1 (user 1) and goes;
  // round 3: user 1 falls to 1 and goes; round 4: stable with users 0, 2 and items 0, 1
  const m = matrix([[0, 0, 5, 1], [0, 1, 4, 2], [0, 2, 3, 3], [1, 1, 5, 1], [1, 3, 2, 2], [2, 0, 1, 1], [2, 1, 2, 2], [3, 3, 4, 1]], 4, 4);
  const f = filterMinInteractions([m], 2, 2);
  assert.equal(f.users, 2);
  assert.equal(f.items, 2);
  assert.equal(f.rounds, 4);
  assert.deepEqual(Array.from(f.parts[0].userIds.ids), [1, 3], 'kept ids, ascending, compacted');
  assert.equal(f.parts[0].length, 4);
  // 10 ratings of one user, times reversed: 70/10/20 → the 7 earliest train, 1 validation, 2 latest test
  const one = matrix(Array.from({ length: 10 }, (_, k) => [0, k, 3, 100 - k] as [number, number, number, number]), 1, 10);
  const s = chronological3(one, 0.1, 0.2);
  assert.deepEqual([s.train.length, s.val.length, s.test.length], [7, 1, 2]);
  assert.deepEqual(Array.from(s.test.items).sort(), [0, 1], 'the latest ratings are the test part');
  assert.deepEqual(Array.from(s.val.items), [2]);
  assert.deepEqual(parseSplit('chrono:0.7:0.1:0.2'), { kind: 'chrono', testFraction: 0.2, valFraction: 0.1 });
  assert.throws(() => parseSplit('chrono:0.7:0.2:0.2'), /add up to 1/);
});

// ---- end to end ---------------------------------------------------------------------------------------------------

const dir = tmpDir();
const ratings = writeFile(dir, 'ratings.tsv', syntheticTsv({ users: 120, items: 80, rank: 3, density: 0.25, noise: 0.3, seed: 5 }));
/** A 0/1 matrix with row and column effects, every cell given (0 = known non-interaction), as user item value. */
function binaryTsv(): string {
  const lines: string[] = [];
  let x = 7;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let r = 1; r <= 40; r++) for (let c = 1; c <= 30; c++) lines.push(`${r}\t${c}\t${rnd() < 0.08 + 0.5 * (r / 40) * (c / 30) ? 1 : 0}`);
  return lines.join('\n') + '\n';
}
const binary = writeFile(dir, 'interactions.tsv', binaryTsv());
const noBackend = async () => { throw new Error('no tfjs needed'); };

async function runRecorded(spec: RunSpec, runs: string) {
  const store = new RunStore(runs);
  const h = store.create(spec, path.basename(spec.dataset.train));
  const epochs: EpochMetrics[] = [];
  const sink: RunSink = recordingSink(h, { epoch: (m) => epochs.push(m) });
  const r = await executeRun(spec, sink, { runId: h.id, setupBackend: noBackend, isCancelled: () => false });
  h.finish(r.summary);
  assert.equal(r.summary.status, 'completed', r.summary.error);
  return { summary: r.summary, epochs, run: store.load(h.id) };
}

test('a ranking run (biased MF ranked by predicted rating) stores HR/P/R/F1/NDCG per epoch; (a)/(b)/(c) follow the higher-is-better HR@10', async () => {
  const spec = buildRunSpec({ model: 'biased-mf', task: 'ranking', assignments: ['epochs=12', 'lr=0.02'], train: ratings, split: 'chrono:0.7:0.1:0.2', minInteractions: 5, seed: 3 });
  const { summary, epochs, run } = await runRecorded(spec, path.join(dir, 'runs'));
  assert.equal(summary.task, 'ranking');
  assert.equal(summary.selectBy, 'hr@10');
  assert.equal(epochs.length, 12);
  for (const e of epochs) {
    for (const k of ['hr@1', 'hr@5', 'hr@10', 'p@10', 'r@10', 'f1@10', 'ndcg@10']) {
      assert.ok(e.test[k] >= 0 && e.test[k] <= 1, `epoch ${e.globalEpoch} test ${k} = ${e.test[k]}`);
      assert.ok(e.val[k] >= 0 && e.val[k] <= 1, `epoch ${e.globalEpoch} val ${k} = ${e.val[k]}`);
    }
    assert.ok(e.test['hr@10'] >= e.test['hr@5'] && e.test['hr@5'] >= e.test['hr@1'], 'HR grows with k');
  }
  // (a) the HIGHEST validation HR@10 (first of ties), (c) the highest test HR@10, (b) the last epoch
  const bestVal = epochs.reduce((x, y) => (y.val['hr@10'] > x.val['hr@10'] ? y : x));
  const bestTest = epochs.reduce((x, y) => (y.test['hr@10'] > x.test['hr@10'] ? y : x));
  assert.equal(summary.selection.valSelected?.globalEpoch, bestVal.globalEpoch);
  assert.equal(summary.selection.testSelected?.globalEpoch, bestTest.globalEpoch);
  assert.equal(selected(summary, 'last'), epochs[11].test['hr@10']);
  assert.ok(selected(summary, 'testSelected') >= selected(summary, 'valSelected'));
  // the metrics are stored per epoch in the run folder and come back from it
  assert.deepEqual(run.metrics.map((m) => m.test['ndcg@10']), epochs.map((m) => m.test['ndcg@10']));
  const csv = metricsCsv(run).trim().split('\n');
  const head = csv[0].split(',');
  for (const c of ['val_hr@10', 'test_hr@10', 'test_p@5', 'test_r@1', 'test_f1@10', 'test_ndcg@10']) assert.ok(head.includes(c), `CSV column ${c} in ${csv[0]}`);
  assert.equal(csv.length, 13);
  assert.equal(Number(csv[1].split(',')[head.indexOf('test_hr@10')]), epochs[0].test['hr@10']);
});

test('TopPop: the most popular unseen items; beats a random ranking on a popularity-skewed dataset', async () => {
  const spec = buildRunSpec({ model: 'top-pop', train: ratings, split: 'chrono:0.7:0.1:0.2', seed: 3 });
  assert.equal(spec.task, undefined, 'top-pop serves only ranking: its default task');
  const { summary, epochs } = await runRecorded(spec, path.join(dir, 'runs'));
  assert.equal(summary.task, 'ranking');
  assert.equal(epochs.length, 1);
  // random ranking expects HR@10 ≈ 1 − C(n − r, 10)/C(n, 10) ≤ 10·r/n per user; TopPop must do better than 10/80 per held-out item
  assert.ok(selected(summary, 'valSelected', 'p@10') > 0.05, `TopPop P@10 ${selected(summary, 'valSelected', 'p@10')}`);
});

test('an interaction run stores AUC, AUPR and RMSE per epoch, selected by AUC (higher is better)', async () => {
  const spec = buildRunSpec({ model: 'user-item-mean', task: 'interaction', train: binary, split: 'random:0.2:4', seed: 2 });
  assert.deepEqual(spec.dataset.scale, { min: 0, max: 1 }, 'zeros are entries of an interaction matrix');
  const { summary, epochs, run } = await runRecorded(spec, path.join(dir, 'runs'));
  assert.equal(summary.task, 'interaction');
  assert.equal(summary.selectBy, 'auc');
  const t = epochs[0].test;
  assert.ok(t.auc > 0.6 && t.auc <= 1, `AUC ${t.auc} (row and column effects make the degree baseline informative)`);
  assert.ok(t.aupr > 0 && t.aupr <= 1 && t.rmse > 0 && t.rmse < 1);
  assert.ok(epochs[0].val.auc > 0.5);
  const csv = metricsCsv(run).split('\n')[0];
  for (const c of ['test_auc', 'test_aupr', 'test_rmse', 'val_auc']) assert.ok(csv.split(',').includes(c), `CSV column ${c}`);
});

test('CLI: ranking and interaction runs print their metric columns and --json summaries', { skip: !fs.existsSync(path.join(repoRoot, 'dist', 'cli.js')) && 'dist/cli.js not built' }, () => {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const runs = path.join(dir, 'cli-runs');
  const rank = spawnSync(process.execPath, [cli, 'train', '--model', 'top-pop', '--train', ratings, '--split', 'chrono:0.7:0.1:0.2', '--min-interactions', '5', '--ks', '1,10', '--json', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(rank.status, 0, rank.stderr);
  const out = rank.stdout.trim().split('\n');
  const j = JSON.parse(out.at(-1) as string);
  assert.equal(j.task, 'ranking');
  assert.equal(j.selectBy, 'hr@10');
  assert.deepEqual(Object.keys(j.metrics), ['hr@1', 'hr@10', 'p@1', 'p@10', 'r@1', 'r@10', 'f1@1', 'f1@10', 'ndcg@1', 'ndcg@10']);
  assert.ok(j.metrics['hr@10'].valSelected > 0 && j.metrics['hr@10'].testSelected >= j.metrics['hr@10'].valSelected);
  const table = out.slice(0, -1).join('\n');
  assert.match(table, /HR@10 \(a\)/);
  assert.match(table, /NDCG@10 \(a\)/);
  assert.doesNotMatch(table, /RMSE/);
  const inter = spawnSync(process.execPath, [cli, 'train', '--model', 'user-item-mean', '--task', 'interaction', '--train', binary, '--split', 'random:0.2:4', '--json', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(inter.status, 0, inter.stderr);
  const ji = JSON.parse(inter.stdout.trim().split('\n').at(-1) as string);
  assert.deepEqual(Object.keys(ji.metrics), ['auc', 'aupr', 'rmse']);
  assert.match(inter.stdout, /AUC \(a\).*AUPR \(a\).*RMSE \(a\)/);
  // a model that does not serve the task, an unknown metric, a misspelt task: bad input (exit 2), no run folder
  const before = fs.readdirSync(runs).length;
  for (const args of [['--model', 'glocal-k', '--task', 'ranking'], ['--model', 'top-pop', '--select', 'rmse'], ['--model', 'biased-mf', '--task', 'rankng']]) {
    const r = spawnSync(process.execPath, [cli, 'train', ...args, '--train', ratings, '--runs-dir', runs], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /does not serve the ranking task|no metric "rmse"|did you mean "ranking"/);
  }
  assert.equal(fs.readdirSync(runs).length, before, 'no run folder for bad input');
});

test('the paper column compares like with like: a paper preset on its dataset, unchanged; never a custom run', () => {
  const { getModel, paperFor } = require('../../src/core/models/catalogue') as typeof import('../../src/core/models/catalogue');
  const g = getModel('glocal-k');
  assert.deepEqual(paperFor(g, { preset: 'douban', overrides: {} }, 'douban')?.metrics, { rmse: 0.721 });
  assert.equal(paperFor(g, { preset: 'douban', overrides: { lambda2: 5 } }, 'douban'), undefined, 'custom hyper-parameters');
  assert.equal(paperFor(g, { preset: 'ml-100k', overrides: {} }, 'douban'), undefined, 'another dataset’s preset');
  assert.equal(paperFor(g, { overrides: {} }, 'ml-100k'), undefined, 'model defaults are not a paper preset');
  assert.equal(paperFor(g, { preset: 'demo', overrides: {} }, 'ml-100k'), undefined, 'a preset made for no paper dataset');
});
