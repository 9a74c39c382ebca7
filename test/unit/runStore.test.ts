import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore, readJsonl } from '../../src/host/runStore';
import type { RunSpec } from '../../src/protocol/types';
import { tmpDir } from './helpers';

const spec: RunSpec = { model: 'biased-mf', overrides: {}, dataset: { train: '/x/u1.base' }, split: 'given', valFraction: 0.05, seed: 1, backend: 'cpu' };

test('create → running → finish; list and load round-trip', () => {
  const store = new RunStore(tmpDir());
  const h = store.create(spec, 'ml-100k/u1');
  assert.match(h.id, /^\d{8}-\d{6}-biased-mf-ml-100k-u1$/);
  assert.equal(store.list()[0].record.status, 'queued' === store.list()[0].record.status ? 'queued' : 'interrupted');
  h.markRunning(process.pid);
  h.appendMetrics({ phase: 'train', epoch: 1, epochs: 2, globalEpoch: 1, trainLoss: 1, train: { rmse: 1 }, val: { rmse: 1 }, test: { rmse: 1, mae: 1 }, seconds: 0.1 });
  h.appendLog({ level: 'info', message: 'hello', time: 't' });
  assert.equal(store.load(h.id).record.status, 'running');
  const at = { globalEpoch: 1, train: { rmse: 1 }, val: { rmse: 1 }, test: { rmse: 1, mae: 1 } };
  h.finish({ runId: h.id, model: 'biased-mf', dataset: 'd', backend: 'cpu', status: 'completed', task: 'rating', selectBy: 'rmse', selection: { valSelected: at, last: at, testSelected: at }, trainRatings: 1, valRatings: 1, testRatings: 1, seconds: 1 });
  const l = store.load(h.id);
  assert.equal(l.record.status, 'completed');
  assert.equal(l.metrics.length, 1);
  assert.equal(l.summary?.status, 'completed');
  assert.match(store.log(h.id), /\[info\] hello/);
  // no temp files left behind
  assert.deepEqual(fs.readdirSync(h.dir).filter((f) => f.endsWith('.tmp')), []);
});

test('two runs in the same second get distinct folders; delete removes one', () => {
  const store = new RunStore(tmpDir());
  const a = store.create(spec, 'd');
  const b = store.create(spec, 'd');
  assert.notEqual(a.id, b.id);
  store.delete(a.id);
  assert.deepEqual(store.list().map((r) => r.record.id), [b.id]);
  assert.throws(() => store.dirOf('../evil'), /invalid run id/);
});

test('a run left "running" by a dead process becomes interrupted and stays readable', () => {
  const store = new RunStore(tmpDir());
  const h = store.create(spec, 'd');
  h.markRunning(2 ** 22 + 12345); // no such pid
  fs.appendFileSync(path.join(h.dir, 'metrics.jsonl'), '{"phase":"train","epoch":1,"globalEpoch":1,"testRmse":0.9}\n{"phase":"tr');
  const l = store.load(h.id);
  assert.equal(l.record.status, 'interrupted');
  assert.equal(l.metrics.length, 1, 'the torn last line is skipped');
  assert.equal(JSON.parse(fs.readFileSync(path.join(h.dir, 'run.json'), 'utf8')).status, 'interrupted');
});

test('readJsonl of a missing file is empty', () => {
  assert.deepEqual(readJsonl('/no/such/file.jsonl'), []);
});
