import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadDataset } from '../../src/core/data/dataset';
import { DatasetError } from '../../src/core/data/errors';
import { tmpDir } from './helpers';

const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>;
const dir = tmpDir();

/**
 * Writes an HDF5 file laid out as MATLAB v7.3 does: a rows×cols matrix is stored column-major, i.e. as an HDF5
 * dataset of shape [cols, rows]; sparse matrices are groups {data, ir, jc} with a MATLAB_sparse row count.
 */
async function writeMat(file: string, vars: Record<string, { dense?: number[][]; sparse?: number[][] }>) {
  const h5 = await importEsm('h5wasm/node');
  await h5.ready;
  const v = `/w-${Date.now()}-${Math.random()}.h5`;
  const f = new h5.File(v, 'w');
  for (const [name, spec] of Object.entries(vars)) {
    const m = (spec.dense ?? spec.sparse) as number[][];
    const rows = m.length;
    const cols = m[0].length;
    if (spec.dense) {
      const data = new Float64Array(rows * cols);
      for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) data[j * rows + i] = m[i][j];
      f.create_dataset({ name, data, shape: [cols, rows] });
    } else {
      const g = f.create_group(name);
      const ir: number[] = [];
      const jc: number[] = [0];
      const vals: number[] = [];
      for (let j = 0; j < cols; j++) {
        for (let i = 0; i < rows; i++) if (m[i][j] !== 0) { ir.push(i); vals.push(m[i][j]); }
        jc.push(ir.length);
      }
      g.create_dataset({ name: 'data', data: Float64Array.from(vals) });
      g.create_dataset({ name: 'ir', data: BigUint64Array.from(ir.map(BigInt)) });
      g.create_dataset({ name: 'jc', data: BigUint64Array.from(jc.map(BigInt)) });
      g.create_attribute('MATLAB_sparse', BigUint64Array.from([BigInt(rows)]));
    }
  }
  f.close();
  fs.writeFileSync(file, h5.FS.readFile(v));
  h5.FS.unlink(v);
}

test('Monti .mat: M/Otraining/Otest transposed correctly, sparse graphs read from CSC', async () => {
  const file = path.join(dir, 'toy.mat');
  // 2 users × 3 items
  const M = [[5, 0, 3], [1, 4, 2]];
  await writeMat(file, {
    M: { dense: M },
    Otraining: { dense: [[1, 0, 0], [0, 1, 1]] },
    Otest: { dense: [[0, 0, 1], [1, 0, 0]] },
    Wrow: { sparse: [[0, 0.5], [0.5, 0]] },
    Wcol: { sparse: [[0, 1, 0], [1, 0, 1], [0, 1, 0]] },
  });
  const ds = await loadDataset({ train: file });
  assert.equal(ds.format, 'mat');
  assert.equal(ds.train.nUsers, 2);
  assert.equal(ds.train.nItems, 3);
  const cells = (m: typeof ds.train) => Array.from({ length: m.length }, (_, k) => `${m.users[k]},${m.items[k]}=${m.values[k]}`).sort();
  assert.deepEqual(cells(ds.train), ['0,0=5', '1,1=4', '1,2=2']);
  assert.deepEqual(cells(ds.test as typeof ds.train), ['0,2=3', '1,0=1']);
  assert.equal(ds.userGraph?.n, 2);
  assert.deepEqual(Array.from(ds.userGraph?.values ?? []), [0.5, 0.5]);
  assert.equal(ds.itemGraph?.n, 3);
  assert.equal(ds.itemGraph?.values.length, 4);
});

test('a .mat file without Otest is rejected naming the missing key', async () => {
  const file = path.join(dir, 'nokey.mat');
  await writeMat(file, { M: { dense: [[1, 2]] }, Otraining: { dense: [[1, 1]] } });
  await assert.rejects(loadDataset({ train: file }), (e: unknown) => e instanceof DatasetError && /missing \.mat key\(s\) Otest/.test(e.message) && e.message.includes(file));
});

test('a corrupt .mat file gives a DatasetError, not a crash', async () => {
  const file = path.join(dir, 'broken.mat');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]));
  await assert.rejects(loadDataset({ train: file }), (e: unknown) => e instanceof DatasetError && e.message.includes('broken.mat'));
});

test('reads the shared Synthetic Netflix file when it is present', { skip: !fs.existsSync(path.resolve(__dirname, '../../../../shared/datasets/synthetic-netflix/synthetic_netflix.mat')) }, async () => {
  const ds = await loadDataset({ train: path.resolve(__dirname, '../../../../shared/datasets/synthetic-netflix/synthetic_netflix.mat') });
  assert.equal(ds.train.nUsers, 150);
  assert.equal(ds.train.nItems, 200);
  assert.equal(ds.train.length, 4500);
  assert.equal(ds.test?.length, 4500);
  assert.equal(ds.userGraph?.values.length, 1713);
  assert.equal(ds.itemGraph?.values.length, 2796);
});
