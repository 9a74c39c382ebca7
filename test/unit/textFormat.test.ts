import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseTextRatings, detectTextLayout } from '../../src/core/data/textFormat';
import { DatasetError } from '../../src/core/data/errors';
import { tmpDir, writeFile } from './helpers';

const dir = tmpDir();

test('MovieLens tab format by name; timestamps kept', () => {
  const f = writeFile(dir, 'u1.base', '1\t10\t5\t881250949\n2\t10\t3\t891717742\n1\t20\t4\t878887116\n');
  const r = parseTextRatings(f);
  assert.equal(r.layout.kind, 'movielens');
  assert.equal(r.length, 3);
  assert.deepEqual(Array.from(r.userIds), [1, 2, 1]);
  assert.deepEqual(Array.from(r.itemIds), [10, 10, 20]);
  assert.deepEqual(Array.from(r.values), [5, 3, 4]);
  assert.deepEqual(Array.from(r.timestamps ?? []), [881250949, 891717742, 878887116]);
});

test(':: format (ML-1M ratings.dat), CRLF and no final newline', () => {
  const f = writeFile(dir, 'ratings.dat', '1::1193::5::978300760\r\n1::661::3::978302109\r\n2::1193::4::978300275');
  const r = parseTextRatings(f);
  assert.equal(r.layout.kind, 'movielens-dat');
  assert.deepEqual(Array.from(r.values), [5, 3, 4]);
  assert.deepEqual(Array.from(r.itemIds), [1193, 661, 1193]);
});

test('CSV with a header in any column order, case-insensitive names, extra columns', () => {
  const f = writeFile(dir, 'r.csv', 'Timestamp,movieId,Rating,userId,title\n100,5,4.5,1,"A"\n101,6,0.5,2,"B"\n');
  const r = parseTextRatings(f);
  assert.equal(r.layout.kind, 'csv');
  assert.ok('header' in r.layout && r.layout.header);
  assert.deepEqual(Array.from(r.userIds), [1, 2]);
  assert.deepEqual(Array.from(r.itemIds), [5, 6]);
  assert.deepEqual(Array.from(r.values), [4.5, 0.5]);
  assert.deepEqual(Array.from(r.timestamps ?? []), [100, 101]);
});

test('TSV without header, 3 columns; user_id/item_id header variants', () => {
  const a = parseTextRatings(writeFile(dir, 'plain.tsv', '1\t2\t3\n4\t5\t1\n'));
  assert.equal(a.timestamps, undefined);
  assert.equal(a.length, 2);
  const b = parseTextRatings(writeFile(dir, 'h.tsv', 'user_id\titem_id\trating\n7\t8\t2\n'));
  assert.deepEqual([b.userIds[0], b.itemIds[0], b.values[0]], [7, 8, 2]);
});

test('lines split across read chunks parse exactly as in one read', () => {
  const lines = Array.from({ length: 500 }, (_, k) => `${k + 1}\t${(k * 7) % 97 + 1}\t${(k % 5) + 1}\t${1000 + k}`);
  const f = writeFile(dir, 'chunky.tsv', lines.join('\n') + '\n');
  const whole = parseTextRatings(f);
  for (const chunkSize of [7, 13, 64, 1000]) {
    const r = parseTextRatings(f, { chunkSize });
    assert.deepEqual(Array.from(r.userIds), Array.from(whole.userIds), `chunk ${chunkSize}`);
    assert.deepEqual(Array.from(r.values), Array.from(whole.values));
    assert.deepEqual(Array.from(r.timestamps ?? []), Array.from(whole.timestamps ?? []));
  }
});

function expectIssues(fn: () => unknown, check: (e: DatasetError) => void) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DatasetError, `expected DatasetError, got ${e}`);
    check(e);
    return;
  }
  assert.fail('expected a DatasetError');
}

test('bad lines are reported with file, line and problem', () => {
  const f = writeFile(dir, 'bad.tsv', '1\t2\t3\t100\n1\t2\n x\t3\t4\t100\n2\t3\tfive\t100\n3\t3\t4\t100\n');
  expectIssues(() => parseTextRatings(f), (e) => {
    assert.equal(e.issues.length, 3);
    assert.deepEqual(e.issues.map((i) => i.line), [2, 3, 4]);
    assert.match(e.issues[0].problem, /expected 4 fields.*found 2/);
    assert.match(e.issues[1].problem, /user id "x" is not an integer/);
    assert.match(e.issues[2].problem, /rating "five" is not a number/);
    assert.match(e.message, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
  });
});

test('ratings outside an explicit scale, and non-positive ratings by default, are errors', () => {
  const f = writeFile(dir, 'scale.tsv', '1\t1\t6\n1\t2\t0\n');
  expectIssues(() => parseTextRatings(f, { scale: { min: 1, max: 5 } }), (e) => {
    assert.equal(e.issues.length, 2);
    assert.match(e.issues[0].problem, /outside the scale \[1, 5\]/);
  });
  expectIssues(() => parseTextRatings(f), (e) => {
    assert.equal(e.issues.length, 1);
    assert.equal(e.issues[0].line, 2);
    assert.match(e.issues[0].problem, /not positive/);
  });
});

test('stops after 20 errors', () => {
  const f = writeFile(dir, 'many.tsv', '1\t1\t3\n' + Array.from({ length: 100 }, (_, k) => `u${k}\t1\t3`).join('\n'));
  expectIssues(() => parseTextRatings(f), (e) => {
    assert.equal(e.issues.length, 20);
    assert.ok(e.truncated);
    assert.match(e.message, /stopped after 20/);
  });
});

test('empty, binary and header-only files', () => {
  expectIssues(() => parseTextRatings(writeFile(dir, 'empty.tsv', '')), (e) => assert.match(e.message, /empty/));
  expectIssues(() => parseTextRatings(writeFile(dir, 'blank.tsv', '\n\n  \n')), (e) => assert.match(e.message, /empty/));
  expectIssues(() => parseTextRatings(writeFile(dir, 'bin.dat', Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 10]))), (e) => assert.match(e.message, /binary/));
  expectIssues(() => parseTextRatings(writeFile(dir, 'only.csv', 'user,item,rating\n')), (e) => assert.match(e.message, /no ratings/));
  expectIssues(() => parseTextRatings(writeFile(dir, 'nohdr.csv', 'who,what,score_x\n1,2,3\n')), (e) => assert.match(e.message, /no user, item/));
});

test('detectTextLayout recognises a header by non-numeric fields', () => {
  const l = detectTextLayout('x.csv', Buffer.from('userId,movieId,rating,timestamp\n1,2,3,4\n'));
  assert.equal(l.header, true);
  assert.deepEqual(l.columns, { user: 0, item: 1, rating: 2, timestamp: 3 });
  const m = detectTextLayout('x.csv', Buffer.from('1,2,3\n'));
  assert.equal(m.header, false);
  assert.equal(m.columns.timestamp, undefined);
});
