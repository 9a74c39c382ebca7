import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { executeRun, RunSink } from '../../src/core/run';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { ProtocolSelection } from '../../src/core/selection';
import { rmse, mae, clip, rankingAtK } from '../../src/core/metrics';
import type { EpochMetrics, RunSpec } from '../../src/core/types';
import { tmpDir, writeFile } from './helpers';

const dir = tmpDir();
const data = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 200, items: 150, rank: 3, density: 0.25, noise: 0.3, seed: 17 }));

function collect() {
  const epochs: EpochMetrics[] = [];
  const logs: string[] = [];
  const sink: RunSink = {
    log: (l) => logs.push(`${l.level}: ${l.message}`), backend: () => undefined, dataset: () => undefined,
    epoch: (m) => epochs.push(m), loss: () => undefined, snapshot: () => undefined, progress: () => undefined,
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
  assert.ok(mf.summary.rmse.valSelected < 0.7 * base.summary.rmse.valSelected, `mf ${mf.summary.rmse.valSelected} vs baseline ${base.summary.rmse.valSelected}`);
  assert.equal(c.epochs.length, 30);
  // (c) is the minimum test RMSE over epochs; (b) the last; (a) the test RMSE where validation was best
  const minTest = Math.min(...c.epochs.map((e) => e.testRmse));
  assert.equal(mf.summary.rmse.testSelected, minTest);
  assert.equal(mf.summary.rmse.last, c.epochs[c.epochs.length - 1].testRmse);
  const bestVal = c.epochs.reduce((a, b) => (b.valRmse < a.valRmse ? b : a));
  assert.equal(mf.summary.rmse.valSelected, bestVal.testRmse);
  assert.ok(mf.summary.rmse.testSelected <= mf.summary.rmse.valSelected);
  assert.equal(mf.summary.valRatings + mf.summary.trainRatings + mf.summary.testRatings > 0, true);
});

test('a cancelled run stops at the next check and reports cancelled with metrics so far', async () => {
  const c = collect();
  let n = 0;
  const r = await executeRun(spec('biased-mf', { epochs: 50 }), { ...c.sink, epoch: (m) => { c.epochs.push(m); n++; } }, { runId: 'c', setupBackend: noBackend, isCancelled: () => n >= 3 });
  assert.equal(r.summary.status, 'cancelled');
  assert.equal(c.epochs.length, 3);
  assert.ok(Number.isFinite(r.summary.rmse.last));
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

test('ProtocolSelection picks (a), (b), (c) as specified', () => {
  const e = (globalEpoch: number, valRmse: number, testRmse: number) => ({ globalEpoch, valRmse, testRmse, testMae: testRmse / 2 });
  const s = new ProtocolSelection();
  [e(1, 1.0, 0.95), e(2, 0.9, 0.93), e(3, 0.92, 0.91), e(4, 0.95, 0.94)].forEach((m) => s.update(m));
  assert.deepEqual(s.result.rmse, { valSelected: 0.93, last: 0.94, testSelected: 0.91 });
  assert.deepEqual(s.result.epochs, { valSelected: 2, testSelected: 3, last: 4 });
  const noVal = new ProtocolSelection();
  [e(1, NaN, 0.9), e(2, NaN, 0.95)].forEach((m) => noVal.update(m));
  assert.equal(noVal.result.rmse.valSelected, 0.95);
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
