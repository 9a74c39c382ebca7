import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { executeRun, RunSink } from '../../src/core/run';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { ProtocolSelection } from '../../src/core/tasks/selection';
import { rmse, mae, clip, rankingAtK } from '../../src/core/tasks/metricFunctions';
import type { EpochMetrics, RunSpec, RunSummary } from '../../src/protocol/types';
import { selected } from '../../src/core/tasks/format';
import { tmpDir, writeFile } from './helpers';

const dir = tmpDir();
const data = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 200, items: 150, rank: 3, density: 0.25, noise: 0.3, seed: 17 }));

function collect() {
  const epochs: EpochMetrics[] = [];
  const logs: string[] = [];
  const sink: RunSink = {
    log: (l) => logs.push(`${l.level}: ${l.message}`), backend: () => undefined, dataset: () => undefined,
    epoch: (m) => epochs.push(m), loss: () => undefined, artifact: () => undefined, progress: () => undefined,
  };
  return { epochs, logs, sink };
}
const noBackend = async () => { throw new Error('no tfjs needed'); };
const spec = (model: string, overrides = {}): RunSpec => ({ model, overrides, dataset: { train: data }, split: 'random:0.1:1', valFraction: 0.1, seed: 3, backend: 'cpu' });

test('biased MF beats the (user+item)/2 baseline on synthetic low-rank data; protocol fields are consistent', async () => {
  const base = await executeRun(spec('user-item-mean'), collect().sink, { runId: 'b', setupBackend: noBackend, isCancelled: () => false });
  const c = collect();
  const mf = await executeRun(spec('biased-mf', { epochs: 30, lr: 0.01, factors: 10 }), c.sink, { runId: 'm', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(base.summary.status, 'completed');
  assert.equal(mf.summary.status, 'completed');
  const a = (s: RunSummary, w: 'valSelected' | 'last' | 'testSelected') => selected(s, w);
  assert.ok(a(mf.summary, 'valSelected') < 0.7 * a(base.summary, 'valSelected'), `mf ${a(mf.summary, 'valSelected')} vs baseline ${a(base.summary, 'valSelected')}`);
  assert.equal(c.epochs.length, 30);
  // (c) is the minimum test RMSE over epochs; (b) the last; (a) the test RMSE where validation was best
  const minTest = Math.min(...c.epochs.map((e) => e.test.rmse));
  assert.equal(a(mf.summary, 'testSelected'), minTest);
  assert.equal(a(mf.summary, 'last'), c.epochs[c.epochs.length - 1].test.rmse);
  const bestVal = c.epochs.reduce((x, y) => (y.val.rmse < x.val.rmse ? y : x));
  assert.equal(a(mf.summary, 'valSelected'), bestVal.test.rmse);
  assert.ok(a(mf.summary, 'testSelected') <= a(mf.summary, 'valSelected'));
  // MAE is taken at the epochs RMSE selected
  assert.equal(mf.summary.selection.valSelected?.test.mae, bestVal.test.mae);
  assert.equal(mf.summary.valRatings + mf.summary.trainRatings + mf.summary.testRatings > 0, true);
});

test('a cancelled run stops at the next check and reports cancelled with metrics so far', async () => {
  const c = collect();
  let n = 0;
  const r = await executeRun(spec('biased-mf', { epochs: 50 }), { ...c.sink, epoch: (m) => { c.epochs.push(m); n++; } }, { runId: 'c', setupBackend: noBackend, isCancelled: () => n >= 3 });
  assert.equal(r.summary.status, 'cancelled');
  assert.equal(c.epochs.length, 3);
  assert.ok(Number.isFinite(selected(r.summary, 'last')));
});

test('divergence (NaN loss) fails the run with a clear message', async () => {
  const r = await executeRun(spec('biased-mf', { lr: 1, epochs: 20, reg: 0 }), collect().sink, { runId: 'n', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r.summary.status, 'failed');
  assert.equal(r.errorKind, 'runtime');
  assert.match(r.summary.error ?? '', /diverged|NaN|Infinity/);
});

test('bad input fails as input error naming the file; unknown model and parameter too', async () => {
  const bad = writeFile(dir, 'bad.tsv', '1\t2\t3\n1\tx\t3\n');
  const r = await executeRun({ ...spec('biased-mf'), dataset: { train: bad } }, collect().sink, { runId: 'x', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r.summary.status, 'failed');
  assert.equal(r.errorKind, 'input');
  assert.match(r.summary.error ?? '', /bad\.tsv:2: item id "x"/);
  const u = await executeRun(spec('no-such-model'), collect().sink, { runId: 'y', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(u.errorKind, 'input');
  assert.match(u.summary.error ?? '', /unknown model/);
  const p = await executeRun(spec('biased-mf', { nope: 1 }), collect().sink, { runId: 'z', setupBackend: noBackend, isCancelled: () => false });
  assert.match(p.summary.error ?? '', /no parameter "nope"/);
});

test('ProtocolSelection picks (a), (b), (c) as specified, lower-is-better', () => {
  const e = (globalEpoch: number, valRmse: number, testRmse: number) => ({ globalEpoch, train: {}, val: (Number.isNaN(valRmse) ? {} : { rmse: valRmse }) as Record<string, number>, test: { rmse: testRmse, mae: testRmse / 2 } });
  const s = new ProtocolSelection({ key: 'rmse', direction: 'lower' });
  [e(1, 1.0, 0.95), e(2, 0.9, 0.93), e(3, 0.92, 0.91), e(4, 0.95, 0.94)].forEach((m) => s.update(m));
  assert.deepEqual([selected({ selection: s.result, selectBy: 'rmse' }, 'valSelected'), selected({ selection: s.result, selectBy: 'rmse' }, 'last'), selected({ selection: s.result, selectBy: 'rmse' }, 'testSelected')], [0.93, 0.94, 0.91]);
  assert.deepEqual([s.result.valSelected?.globalEpoch, s.result.testSelected?.globalEpoch, s.result.last?.globalEpoch], [2, 3, 4]);
  assert.equal(s.result.valSelected?.test.mae, 0.93 / 2);
  const noVal = new ProtocolSelection({ key: 'rmse', direction: 'lower' });
  [e(1, NaN, 0.9), e(2, NaN, 0.95)].forEach((m) => noVal.update(m));
  assert.equal(noVal.result.valSelected?.test.rmse, 0.95);
});

test('ProtocolSelection with a higher-is-better metric picks the highest validation and test values', () => {
  const e = (globalEpoch: number, v: number, t: number) => ({ globalEpoch, train: {}, val: { 'hr@10': v }, test: { 'hr@10': t, 'p@10': t / 10 } });
  const s = new ProtocolSelection({ key: 'hr@10', direction: 'higher' });
  [e(1, 0.2, 0.25), e(2, 0.5, 0.4), e(3, 0.45, 0.6), e(4, 0.5, 0.3), e(5, 0.1, 0.2)].forEach((m) => s.update(m));
  // (a) epoch 2 (the tie at epoch 4 keeps the earlier), (c) epoch 3, (b) epoch 5
  assert.deepEqual([s.result.valSelected?.globalEpoch, s.result.testSelected?.globalEpoch, s.result.last?.globalEpoch], [2, 3, 5]);
  assert.equal(s.result.valSelected?.test['p@10'], 0.04);
});

test('metrics: rmse, mae, clip, ranking', () => {
  assert.equal(rmse([1, 2, 3], [1, 2, 5]), Math.sqrt(4 / 3));
  assert.equal(mae([1, 2, 3], [2, 2, 5]), 1);
  assert.deepEqual(Array.from(clip(new Float32Array([0, 3, 7]), 1, 5)), [1, 3, 5]);
  assert.ok(Number.isNaN(rmse([], [])));
  assert.throws(() => rmse([1], [1, 2]));
  const r = rankingAtK([5, 3, 9, 1], new Set([3, 1]), 2);
  assert.equal(r.hr, 1);
  assert.equal(r.precision, 0.5);
  assert.equal(r.recall, 0.5);
  assert.ok(Math.abs(r.ndcg - (1 / Math.log2(3)) / (1 + 1 / Math.log2(3))) < 1e-12);
});
