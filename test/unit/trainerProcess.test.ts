/** The trainer child process and the run queue, end to end over IPC (needs the built dist/trainer.js). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import { RunQueue } from '../../src/host/runQueue';
import { RunStore } from '../../src/host/runStore';
import { syntheticTsv } from '../../src/core/data/synthetic';
import type { RunSpec } from '../../src/protocol/types';
import { tmpDir, writeFile, repoRoot } from './helpers';

const trainerPath = path.join(repoRoot, 'dist', 'trainer.js');
const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const dir = tmpDir();
const data = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 120, items: 100, rank: 3, density: 0.2, noise: 0.3, seed: 4 }));
const spec = (overrides = {}, train = data): RunSpec => ({ model: 'biased-mf', overrides, dataset: { train }, split: 'random:0.1:1', valFraction: 0.05, seed: 1, backend: 'cpu' });

test('a run through the trainer process writes its folder, metrics and summary', { skip: !fs.existsSync(trainerPath) && 'dist/trainer.js not built' }, async () => {
  const store = new RunStore(path.join(dir, 'runs-a'));
  const q = new RunQueue(store, () => ({ trainerPath }));
  const epochs: number[] = [];
  q.on('epoch', (_id, m) => epochs.push(m.epoch));
  const { runId, done } = q.submit(spec({ epochs: 5 }), 'syn');
  const r = await done;
  assert.equal(r.summary.status, 'completed', r.summary.error);
  assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
  const loaded = store.load(runId);
  assert.equal(loaded.record.status, 'completed');
  assert.equal(loaded.metrics.length, 5);
  assert.equal(loaded.record.dataset?.files[0].path, data);
  assert.ok(loaded.record.backend);
  assert.match(store.log(runId), /done in/);
});

test('cancel stops a running trainer; queued runs wait their turn (FIFO, 1 at a time)', { skip: !fs.existsSync(trainerPath) && 'dist/trainer.js not built' }, async () => {
  const store = new RunStore(path.join(dir, 'runs-b'));
  const q = new RunQueue(store, () => ({ trainerPath, killAfterMs: 3000 }), () => 1);
  const order: string[] = [];
  q.on('changed', (id) => { if (store.load(id).record.status === 'running' && !order.includes(id)) order.push(id); });
  const long = q.submit(spec({ epochs: 10000 }), 'syn');
  const second = q.submit(spec({ epochs: 2 }), 'syn');
  assert.equal(q.activeRuns().find((r) => r.runId === second.runId)?.status, 'queued');
  await new Promise<void>((res) => q.once('epoch', () => res()));
  const t0 = Date.now();
  assert.ok(q.cancel(long.runId));
  const r1 = await long.done;
  assert.equal(r1.summary.status, 'cancelled');
  assert.ok(Date.now() - t0 < 2500, `cancel took ${Date.now() - t0} ms`);
  assert.ok(store.load(long.runId).metrics.length >= 1, 'partial metrics kept');
  const r2 = await second.done;
  assert.equal(r2.summary.status, 'completed');
  assert.deepEqual(order, [long.runId, second.runId]);
});

test('cancelling a queued run never starts it', { skip: !fs.existsSync(trainerPath) && 'dist/trainer.js not built' }, async () => {
  const store = new RunStore(path.join(dir, 'runs-c'));
  const q = new RunQueue(store, () => ({ trainerPath }), () => 1);
  const a = q.submit(spec({ epochs: 3 }), 'syn');
  const b = q.submit(spec({ epochs: 3 }), 'syn');
  assert.ok(q.cancel(b.runId));
  assert.equal((await b.done).summary.status, 'cancelled');
  assert.equal((await a.done).summary.status, 'completed');
  assert.equal(store.load(b.runId).metrics.length, 0);
});

test('a trainer that dies mid-run fails that run with the reason; the next run works', { skip: !fs.existsSync(trainerPath) && 'dist/trainer.js not built' }, async () => {
  const store = new RunStore(path.join(dir, 'runs-d'));
  const crasher = writeFile(dir, 'crash.js', 'process.exit(7);\n');
  let which = crasher;
  const q = new RunQueue(store, () => ({ trainerPath: which }));
  const a = q.submit(spec(), 'syn');
  const r = await a.done;
  assert.equal(r.summary.status, 'failed');
  assert.match(r.summary.error ?? '', /exited with code 7/);
  assert.equal(store.load(a.runId).record.status, 'failed');
  which = trainerPath;
  const b = q.submit(spec({ epochs: 2 }), 'syn');
  assert.equal((await b.done).summary.status, 'completed');
});

test('a malformed dataset fails the run as bad input, naming file and line', { skip: !fs.existsSync(trainerPath) && 'dist/trainer.js not built' }, async () => {
  const bad = writeFile(dir, 'bad.tsv', '1\t1\t4\n1\t2\n');
  const q = new RunQueue(new RunStore(path.join(dir, 'runs-e')), () => ({ trainerPath }));
  const r = await q.submit(spec({}, bad), 'bad').done;
  assert.equal(r.summary.status, 'failed');
  assert.equal(r.errorKind, 'input');
  assert.match(r.summary.error ?? '', /bad\.tsv:2: expected 3 fields/);
});

test('CLI: --json summary on the last line; exit codes 0 / 2', { skip: !fs.existsSync(cliPath) && 'dist/cli.js not built' }, () => {
  const runs = path.join(dir, 'cli-runs');
  const ok = spawnSync(process.execPath, [cliPath, 'train', '--model', 'biased-mf', '--train', data, '--split', 'random:0.1:1', '--set', 'epochs=3', '--json', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const last = ok.stdout.trim().split('\n').at(-1) as string;
  const j = JSON.parse(last);
  assert.equal(j.model, 'biased-mf');
  assert.equal(j.status, 'completed');
  assert.equal(j.task, 'rating');
  assert.equal(j.selectBy, 'rmse');
  assert.ok(j.metrics.rmse.valSelected > 0 && j.metrics.rmse.last > 0 && j.metrics.rmse.testSelected > 0 && j.metrics.mae.valSelected > 0);
  const list = spawnSync(process.execPath, [cliPath, 'list', '--json', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(JSON.parse(list.stdout)[0].id, j.runId);
  const bad = writeFile(dir, 'bad2.csv', 'user,item,rating\n1,2,3\n1,2\n');
  const r2 = spawnSync(process.execPath, [cliPath, 'train', '--train', bad, '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /bad2\.csv:3: expected (at least )?3 fields/);
  const r3 = spawnSync(process.execPath, [cliPath, 'train', '--model', 'biased-mf', '--train', data, '--set', 'epochs=-1', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /epochs.*minimum/);
});

test('CLI: SIGINT cancels, leaves a readable cancelled run and exits 130', { skip: !fs.existsSync(cliPath) && 'dist/cli.js not built' }, async () => {
  const runs = path.join(dir, 'cli-cancel');
  const { spawn } = await import('child_process');
  const child = spawn(process.execPath, [cliPath, 'train', '--model', 'biased-mf', '--train', data, '--set', 'epochs=10000', '--runs-dir', runs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  await new Promise<void>((res) => child.stderr.on('data', (d) => { err += d; if (/epoch 2\//.test(err)) res(); }));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 130);
  const store = new RunStore(runs);
  const [run] = store.list();
  assert.equal(run.record.status, 'cancelled');
  assert.ok(store.load(run.record.id).metrics.length >= 2);
});

test('CLI: unknown and misspelt options and commands are errors with a suggestion; --help for every command', { skip: !fs.existsSync(cliPath) && 'dist/cli.js not built' }, () => {
  const runs = path.join(dir, 'cli-flags');
  const bad = spawnSync(process.execPath, [cliPath, 'train', '--modle', 'biased-mf', '--train', data, '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --modle for "train" \(did you mean "model"\?\)/);
  assert.ok(!fs.existsSync(runs) || fs.readdirSync(runs).length === 0, 'no run folder for a typo');
  const cmd = spawnSync(process.execPath, [cliPath, 'lsit'], { encoding: 'utf8' });
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command "lsit" \(did you mean "list"\?\)/);
  for (const c of ['train', 'list', 'show', 'compare', 'export', 'delete', 'models', 'demo']) {
    const h = spawnSync(process.execPath, [cliPath, c, '--help'], { encoding: 'utf8' });
    assert.equal(h.status, 0, `${c} --help`);
    assert.match(h.stdout, new RegExp(`kernel-rec-lab ${c}`), `${c} --help prints its usage`);
  }
  const top = spawnSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' });
  assert.equal(top.status, 0);
});

test('CLI: list filters, show details, compare side by side, export, delete', { skip: !fs.existsSync(cliPath) && 'dist/cli.js not built' }, () => {
  const runs = path.join(dir, 'cli-cmds');
  const ids: string[] = [];
  for (const lr of ['0.005', '0.02']) {
    const r = spawnSync(process.execPath, [cliPath, 'train', '--model', 'biased-mf', '--train', data, '--split', 'random:0.1:1', '--set', 'epochs=3', '--set', `lr=${lr}`, '--json', '--runs-dir', runs], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    ids.push(JSON.parse(r.stdout.trim().split('\n').at(-1) as string).runId);
  }
  const list = spawnSync(process.execPath, [cliPath, 'list', '--status', 'completed', '--runs-dir', runs], { encoding: 'utf8' });
  assert.match(list.stdout, /started\s+duration/);
  assert.equal(list.stdout.split('\n').filter((l) => l.includes('biased-mf')).length, 2);
  const none = spawnSync(process.execPath, [cliPath, 'list', '--status', 'failed', '--runs-dir', runs], { encoding: 'utf8' });
  assert.match(none.stdout, /no runs with status failed/);
  const show = spawnSync(process.execPath, [cliPath, 'show', ids[0], '--runs-dir', runs], { encoding: 'utf8' });
  assert.match(show.stdout, /overrides: epochs=3 lr=0\.005/);
  assert.match(show.stdout, /split random:0\.1:1 · validation 0\.05 · seed 1234/);
  assert.match(show.stdout, /backend: cpu/);
  assert.match(show.stdout, /RMSE \(a\)/);
  const cmp = spawnSync(process.execPath, [cliPath, 'compare', ...ids, '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(cmp.status, 0, cmp.stderr);
  assert.match(cmp.stdout, /lr \*\s+0\.005\s+0\.02/);
  assert.match(cmp.stdout, /rmse \(a\)/);
  const csv = path.join(dir, 'exp.csv');
  const ex = spawnSync(process.execPath, [cliPath, 'export', ids[0], '--out', csv, '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(ex.status, 0, ex.stderr);
  assert.match(fs.readFileSync(csv, 'utf8').split('\n')[0], /test_rmse/);
  const noYes = spawnSync(process.execPath, [cliPath, 'delete', ids[0], '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(noYes.status, 2);
  const del = spawnSync(process.execPath, [cliPath, 'delete', ids[0], '--yes', '--runs-dir', runs], { encoding: 'utf8' });
  assert.equal(del.status, 0, del.stderr);
  assert.ok(!fs.existsSync(path.join(runs, ids[0])) && fs.existsSync(path.join(runs, ids[1])));
});
