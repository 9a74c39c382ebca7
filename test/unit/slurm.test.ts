// Sweeps on a real Slurm (a single-node cluster started here: munged, slurmctld, slurmd) and on the local queue:
// a 12-point sweep (biased MF × 3 learning rates × 2 seeds × 2 folds) submitted as a job array, one running array
// task killed with scancel, the rerun filling in only that point; the aggregated table and the validation-chosen
// point checked against numbers recomputed here from the run folders; the same sweep through the local queue with
// two runs at a time. Skips with the reason where Slurm cannot start (not root, not installed); CI is root.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { slurmSkipReason, startCluster, type Cluster } from './slurmCluster';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repoRoot, 'dist', 'cli.js');
const built = fs.existsSync(cli) && fs.existsSync(path.join(repoRoot, 'dist', 'trainer.js'));
const skip = !built ? 'dist/cli.js not built' : slurmSkipReason();

let cluster: Cluster | undefined;
let work = '';
let sweepFile = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function krl(args: string[], env?: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: env ?? cluster?.env ?? process.env, cwd: work, timeout: 300_000 });
}

interface StatusJson {
  counts: Record<string, number>;
  chosen: string | null;
  direction: string;
  rows: { index: number; key: string; group: string; point: Record<string, number>; seed: number; fold: string; state: string; runId: string | null; val: number | null; scheduler: { kind: string; job: string; task: number } | null }[];
  groups: { group: string; n: number; done: number; val?: { mean: number; std: number }; chosen: boolean; point: Record<string, number> }[];
}

function status(runs: string): StatusJson {
  const r = krl(['sweep-status', sweepFile, '--runs-dir', runs, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as StatusJson;
}

function squeueTasks(job: string): string[] {
  const r = spawnSync('squeue', ['-h', '-r', '-j', job, '-o', '%i'], { encoding: 'utf8', env: cluster?.env });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

async function waitJob(job: string, ms: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (squeueTasks(job).length === 0) return;
    await sleep(500);
  }
  throw new Error(`Slurm job ${job} still has tasks after ${ms / 1000} s: ${squeueTasks(job).join(' ')}`);
}

/** Checks the table against numbers recomputed from the run folders (mean over seeds × folds of val RMSE at (a)). */
function checkTable(s: StatusJson, runs: string) {
  assert.deepEqual(s.counts, { completed: 12 });
  assert.equal(s.groups.length, 3);
  const byGroup = new Map<string, number[]>();
  for (const row of s.rows) {
    assert.ok(row.runId, `row ${row.index} has a run folder`);
    const dir = path.join(runs, row.runId as string);
    const rec = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    assert.equal(rec.status, 'completed');
    assert.equal(rec.sweep.key, row.key);
    assert.equal(rec.spec.overrides.lr, row.point.lr);
    assert.ok(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').length >= 1);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    const v = summary.selection.valSelected.val.rmse as number;
    assert.equal(row.val, v);
    byGroup.set(row.group, [...(byGroup.get(row.group) ?? []), v]);
  }
  let best = '';
  let bestMean = Infinity;
  for (const g of s.groups) {
    const xs = byGroup.get(g.group) as number[];
    assert.equal(xs.length, 4);
    const mean = xs.reduce((a, b) => a + b, 0) / 4;
    assert.ok(Math.abs((g.val?.mean ?? NaN) - mean) < 1e-12);
    if (mean < bestMean) { bestMean = mean; best = g.group; }
  }
  assert.equal(s.chosen, best, 'the chosen point is the lowest mean validation RMSE');
}

before(async () => {
  if (skip) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-sweep-it-'));
  // 600 users × 500 items, ~45k ratings: a run of 800 SGD epochs takes a few seconds, long enough to be killed
  fs.writeFileSync(path.join(work, 'ratings.tsv'), syntheticTsv({ users: 600, items: 500, rank: 3, density: 0.15, noise: 0.3, seed: 7 }));
  sweepFile = path.join(work, 'mf.krl.json');
  fs.writeFileSync(sweepFile, JSON.stringify({
    name: 'mf-lr', dataset: 'ratings.tsv', select: { metric: 'rmse', split: 'val' }, seeds: [1, 2], folds: { k: 2, seed: 99 },
    runs: [{ model: 'biased-mf', overrides: { epochs: 800, factors: 8 }, grid: { lr: [0.005, 0.01, 0.02] } }],
  }, null, 2));
  cluster = await startCluster();
});

after(() => {
  cluster?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('Slurm: a 12-point sweep as a job array; scancel on one running task leaves the others; a rerun fills in only that point', { skip, timeout: 600_000 }, async () => {
  const runs = path.join(work, 'runs-slurm');
  const dry = krl(['sweep', sweepFile, '--dry-run', '--json', '--runs-dir', runs]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).runs.length, 12);
  const sub = krl(['sweep', sweepFile, '--slurm', '--array-limit', '2', '--cpus', '1', '--runs-dir', runs]);
  assert.equal(sub.status, 0, sub.stderr);
  const job = sub.stdout.trim();
  assert.match(job, /^\d+$/);
  const subDir = fs.readdirSync(path.join(runs, '.sweeps', 'mf-lr'))[0];
  assert.match(fs.readFileSync(path.join(runs, '.sweeps', 'mf-lr', subDir, 'job.sbatch'), 'utf8'), /#SBATCH --array=0-11%2/);
  // queued tasks show as such
  const early = status(runs);
  assert.ok((early.counts['slurm-pending'] ?? 0) >= 1, JSON.stringify(early.counts));
  // kill the first array task seen running (its run folder says which task it is)
  let killed: { task: number; key: string; dir: string } | undefined;
  const t0 = Date.now();
  while (!killed && Date.now() - t0 < 120_000) {
    for (const name of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
      const f = path.join(runs, name, 'run.json');
      if (!fs.existsSync(f)) continue;
      const rec = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (rec.status === 'running' && fs.existsSync(path.join(runs, name, 'metrics.jsonl'))) {
        killed = { task: rec.sweep.scheduler.task, key: rec.sweep.key, dir: path.join(runs, name) };
        assert.equal(rec.sweep.scheduler.job, `${job}_${killed.task}`);
        break;
      }
    }
    if (!killed) await sleep(100);
  }
  assert.ok(killed, 'a task was seen running');
  const sc = spawnSync('scancel', [`${job}_${killed.task}`], { env: cluster?.env, encoding: 'utf8' });
  assert.equal(sc.status, 0, sc.stderr);
  await waitJob(job, 300_000);
  const afterKill = status(runs);
  const row = afterKill.rows.find((r) => r.key === killed?.key);
  assert.ok(row && /^(cancelled|failed)$/.test(row.state), `the killed run is ${row?.state}`);
  assert.equal(afterKill.counts.completed, 11, JSON.stringify(afterKill.counts));
  assert.ok(fs.existsSync(path.join(killed.dir, 'log.txt')), 'the killed run keeps its log');
  // the rerun submits one task: the killed point
  const again = krl(['sweep', sweepFile, '--slurm', '--runs-dir', runs]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /11 already completed or running, 1 to run/);
  const job2 = again.stdout.trim();
  const subs = fs.readdirSync(path.join(runs, '.sweeps', 'mf-lr')).sort();
  assert.equal(subs.length, 2);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runs, '.sweeps', 'mf-lr', subs[1], 'submission.json'), 'utf8')).keys, [killed.key]);
  await waitJob(job2, 300_000);
  const final = status(runs);
  checkTable(final, runs);
  // the killed run's folder is still there beside its replacement
  assert.equal(JSON.parse(fs.readFileSync(path.join(killed.dir, 'run.json'), 'utf8')).sweep.key, killed.key);
  // nothing left to do
  const third = krl(['sweep', sweepFile, '--slurm', '--runs-dir', runs]);
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stderr, /12 already completed or running, 0 to run/);
});

test('local queue: the same 12-point sweep with two runs at a time, and the same table', { skip, timeout: 600_000 }, () => {
  const runs = path.join(work, 'runs-local');
  const r = krl(['sweep', sweepFile, '--runs-dir', runs, '--max-concurrent', '2', '--quiet'], process.env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /chosen: biased-mf lr=/);
  const s = status(runs);
  checkTable(s, runs);
  // two at a time: the runs' [start, finish] intervals overlap two deep, never three
  const iv = s.rows.map((row) => JSON.parse(fs.readFileSync(path.join(runs, row.runId as string, 'run.json'), 'utf8'))).map((x) => [Date.parse(x.startedAt), Date.parse(x.finishedAt)]);
  const depth = Math.max(...iv.map(([a]) => iv.filter(([b, e]) => b <= a && a < e).length));
  assert.equal(depth, 2);
});

test('Slurm: an array task that dies before its run starts (no Node on the node) shows as slurm-lost with its log; the rerun submits it again', { skip, timeout: 300_000 }, async () => {
  const runs = path.join(work, 'runs-lost');
  const file = path.join(work, 'one.krl.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'one', dataset: 'ratings.tsv', runs: [{ model: 'biased-mf', overrides: { epochs: 2, factors: 4 } }] }));
  const sub = krl(['sweep', file, '--slurm', '--node', '/nonexistent/node', '--runs-dir', runs]);
  assert.equal(sub.status, 0, sub.stderr);
  await waitJob(sub.stdout.trim(), 120_000);
  const st = krl(['sweep-status', file, '--runs-dir', runs, '--json']);
  assert.equal(st.status, 0, st.stderr);
  const row = JSON.parse(st.stdout.trim().split('\n').at(-1) as string).rows[0];
  assert.equal(row.state, 'slurm-lost');
  assert.match(row.error, /ended without starting the run: see its log .*logs\/\d+_0\.out/);
  const text = krl(['sweep-status', file, '--runs-dir', runs]);
  assert.match(text.stdout, /slurm-lost/);
  const again = krl(['sweep', file, '--slurm', '--runs-dir', runs]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /0 already completed or running, 1 to run/);
  await waitJob(again.stdout.trim(), 120_000);
  const done = JSON.parse(krl(['sweep-status', file, '--runs-dir', runs, '--json']).stdout.trim().split('\n').at(-1) as string);
  assert.equal(done.rows[0].state, 'completed');
});
