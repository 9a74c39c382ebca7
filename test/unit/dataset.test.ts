import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as fs from 'fs';
import { loadDataset, prepareSplit, findPartner } from '../../src/core/data/dataset';
import { DatasetError } from '../../src/core/data/errors';
import { parseSplit, randomHoldout, kFold, chronological, carveValidation } from '../../src/core/data/splits';
import { computeStats } from '../../src/core/data/ratingMatrix';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { tmpDir, writeFile } from './helpers';

const dir = tmpDir();

test('u1.base finds u1.test and vice versa; ids map in ascending order over both files', async () => {
  const d = fs.mkdtempSync(path.join(dir, 'ml-'));
  writeFile(d, 'u1.base', '10\t300\t4\t5\n2\t100\t3\t6\n10\t100\t5\t7\n');
  writeFile(d, 'u1.test', '2\t300\t1\t8\n7\t200\t2\t9\n');
  for (const opened of ['u1.base', 'u1.test']) {
    const ds = await loadDataset({ train: path.join(d, opened) });
    assert.equal(ds.files.length, 2);
    assert.equal(path.basename(ds.files[0].path), 'u1.base');
    assert.equal(path.basename(ds.files[1].path), 'u1.test');
    assert.deepEqual(Array.from(ds.train.userIds.ids), [2, 7, 10]);
    assert.deepEqual(Array.from(ds.train.itemIds.ids), [100, 200, 300]);
    assert.equal(ds.train.length, 3);
    assert.equal(ds.test?.length, 2);
    // user 10 → index 2, item 300 → index 2
    assert.equal(ds.train.users[0], 2);
    assert.equal(ds.train.items[0], 2);
    assert.match(ds.files[0].sha256, /^[0-9a-f]{64}$/);
  }
  assert.equal(findPartner(path.join(d, 'nothing.csv')), undefined);
});

test('generic train/test partner names', async () => {
  const d = fs.mkdtempSync(path.join(dir, 'g-'));
  writeFile(d, 'books.train.csv', 'user,item,rating\n1,1,4\n2,2,5\n');
  writeFile(d, 'books.test.csv', 'user,item,rating\n1,2,3\n');
  const p = findPartner(path.join(d, 'books.test.csv'));
  assert.equal(path.basename(p?.train ?? ''), 'books.train.csv');
  const ds = await loadDataset({ train: path.join(d, 'books.train.csv') });
  assert.equal(ds.test?.length, 1);
});

test('train and test files of different formats are rejected with both names', async () => {
  const d = fs.mkdtempSync(path.join(dir, 'mix-'));
  const a = writeFile(d, 'a.tsv', '1\t1\t4\n');
  const b = writeFile(d, 'b.csv', '1,1,4\n');
  await assert.rejects(loadDataset({ train: a, test: b }), (e: unknown) => e instanceof DatasetError && /different formats/.test(e.message) && e.message.includes(b));
});

test('duplicate (user, item) pairs keep the last and warn with line numbers', async () => {
  const f = writeFile(dir, 'dup.tsv', '1\t1\t2\n1\t2\t3\n1\t1\t5\n2\t1\t4\n');
  const ds = await loadDataset({ train: f });
  assert.equal(ds.train.length, 3);
  const k = Array.from(ds.train.users).findIndex((u, i) => u === 0 && ds.train.items[i] === 0);
  assert.equal(ds.train.values[k], 5);
  assert.equal(ds.warnings.length, 1);
  assert.match(ds.warnings[0], /1 duplicate.*lines 1 and 3/);
});

test('missing file and folder errors name the path', async () => {
  await assert.rejects(loadDataset({ train: path.join(dir, 'nope.tsv') }), /nope\.tsv: file not found/);
  await assert.rejects(loadDataset({ train: dir }), /is a folder/);
});

test('splits: random and k-fold partition the ratings, deterministically', async () => {
  const f = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 60, items: 40, rank: 3, density: 0.3, noise: 0.3, seed: 5 }));
  const ds = await loadDataset({ train: f });
  const m = ds.train;
  const key = (mm: typeof m, k: number) => `${mm.users[k]}:${mm.items[k]}`;
  const r1 = randomHoldout(m, 0.2, 99);
  const r2 = randomHoldout(m, 0.2, 99);
  assert.equal(r1.test.length, Math.round(m.length * 0.2));
  assert.equal(r1.train.length + r1.test.length, m.length);
  assert.deepEqual(Array.from(r1.test.values), Array.from(r2.test.values));
  assert.notDeepEqual(Array.from(randomHoldout(m, 0.2, 100).test.users), Array.from(r1.test.users));
  const trainKeys = new Set(Array.from({ length: r1.train.length }, (_, k) => key(r1.train, k)));
  for (let k = 0; k < r1.test.length; k++) assert.ok(!trainKeys.has(key(r1.test, k)));
  const seen = new Map<string, number>();
  for (let fold = 0; fold < 5; fold++) {
    const s = kFold(m, 5, fold, 1);
    assert.equal(s.train.length + s.test.length, m.length);
    for (let k = 0; k < s.test.length; k++) seen.set(key(s.test, k), (seen.get(key(s.test, k)) ?? 0) + 1);
  }
  assert.equal(seen.size, m.length);
  assert.ok([...seen.values()].every((c) => c === 1));
});

test('chronological split puts each user\'s latest ratings in test', async () => {
  const f = writeFile(dir, 'chrono.tsv', '1\t1\t3\t50\n1\t2\t3\t10\n1\t3\t3\t30\n1\t4\t3\t40\n2\t1\t4\t5\n');
  const ds = await loadDataset({ train: f });
  const { train, test } = chronological(ds.train, 0.5);
  // user 1 (index 0): timestamps 10,30,40,50 → test gets 40 and 50 (items 4 and 1); user 2 has one rating, kept in train
  const testPairs = Array.from({ length: test.length }, (_, k) => `${test.users[k]}:${test.items[k]}`).sort();
  assert.deepEqual(testPairs, ['0:0', '0:3']);
  assert.equal(train.length, 3);
  assert.throws(() => chronological((ds.train.subset([0, 1]) as typeof ds.train).constructor === Object ? ds.train : new (ds.train.constructor as any)(ds.train.users, ds.train.items, ds.train.values, ds.train.userIds, ds.train.itemIds), 0.5), /timestamps/);
});

test('validation carve-out comes from training only and is seeded', async () => {
  const d = fs.mkdtempSync(path.join(dir, 'val-'));
  writeFile(d, 'u2.base', syntheticTsv({ users: 50, items: 30, rank: 2, density: 0.5, noise: 0.2, seed: 8 }));
  writeFile(d, 'u2.test', '1\t1\t3\n2\t2\t4\n');
  const ds = await loadDataset({ train: path.join(d, 'u2.base') });
  const s = prepareSplit(ds, parseSplit('auto'), 0.1, 7);
  assert.equal(s.test.length, 2);
  assert.equal(s.fit.length + s.val.length, ds.train.length);
  assert.equal(s.val.length, Math.round(ds.train.length * 0.1));
  const again = carveValidation(ds.train, 0.1, 7);
  assert.deepEqual(Array.from(again.val.values), Array.from(s.val.values));
  assert.throws(() => prepareSplit({ ...ds, test: undefined }, parseSplit('given'), 0.1, 1), /no test file/);
});

test('parseSplit validates its arguments', () => {
  assert.deepEqual(parseSplit('random:0.2:5'), { kind: 'random', testFraction: 0.2, seed: 5 });
  assert.deepEqual(parseSplit('kfold:5:4:1'), { kind: 'kfold', k: 5, fold: 4, seed: 1 });
  assert.throws(() => parseSplit('kfold:5:5:1'), /fold index/);
  assert.throws(() => parseSplit('random:1.5'), /fraction/);
  assert.throws(() => parseSplit('bogus'), /unknown split/);
});

test('dataset statistics', async () => {
  const f = writeFile(dir, 'st.tsv', '1\t1\t1\n1\t2\t5\n2\t1\t5\n3\t3\t3\n');
  const ds = await loadDataset({ train: f });
  const st = computeStats(ds.train);
  assert.equal(st.users, 3);
  assert.equal(st.items, 3);
  assert.equal(st.ratings, 4);
  assert.ok(Math.abs(st.density - 4 / 9) < 1e-12);
  assert.deepEqual(st.histogram, [{ value: 1, count: 1 }, { value: 3, count: 1 }, { value: 5, count: 2 }]);
  assert.equal(st.perUser.max, 2);
  assert.deepEqual(ds.scale, { min: 1, max: 5, step: 2 });
});
