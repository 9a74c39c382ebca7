// Sweeps: expansion (grid × random × folds × seeds), identity keys, refusing test-set selection, the experiments
// table (groups, mean ± std, the validation-chosen point), CSV, the Slurm script and the Kubernetes Job (validated
// against the batch/v1 Job schema of kubernetes-models).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expandSweep, groupKey, meanStd, pendingRuns, runKey, sweepCsv, sweepTable } from '../../src/host/sweep';
import { slurmScript } from '../../src/host/scheduler';
import { k8sJob } from '../../src/host/k8s';
import { RunStore } from '../../src/host/runStore';
import { CLI_DEFAULTS } from '../../src/host/runSpecBuilder';
import { experimentSchema } from '../../src/core/models/schema';
import { presetsFile, saveUserPreset } from '../../src/host/userPresets';
import { syntheticTsv } from '../../src/core/data/synthetic';
import type { RunSummary } from '../../src/protocol/types';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'krl-sweep-'));
const FILE = '/data/exp/mf.krl.json';

const base = (extra: Record<string, unknown> = {}, entry: Record<string, unknown> = {}) => ({
  name: 'mf lr', dataset: 'ratings.tsv', seeds: [1, 2], folds: { k: 2, seed: 9 },
  runs: [{ model: 'biased-mf', overrides: { epochs: 3 }, grid: { lr: [0.005, 0.01, 0.02] }, ...entry }], ...extra,
});

test('grid × folds × seeds expands in a fixed order, each run tagged with its point, seed and fold', () => {
  const s = expandSweep(base(), FILE, CLI_DEFAULTS);
  assert.equal(s.id, 'mf-lr');
  assert.equal(s.runs.length, 12);
  assert.deepEqual(s.params, ['lr']);
  assert.deepEqual(s.runs.map((r) => r.tag.point.lr), [0.005, 0.005, 0.005, 0.005, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.02, 0.02]);
  assert.deepEqual(s.runs.slice(0, 4).map((r) => [r.spec.split, r.spec.seed]), [['kfold:2:0:9', 1], ['kfold:2:0:9', 2], ['kfold:2:1:9', 1], ['kfold:2:1:9', 2]]);
  assert.equal(s.runs[0].spec.dataset.train, '/data/exp/ratings.tsv');
  assert.deepEqual(s.runs[5].spec.overrides, { epochs: 3, lr: 0.01 });
  assert.equal(new Set(s.runs.map((r) => r.tag.key)).size, 12);
  assert.equal(new Set(s.runs.map((r) => r.tag.group)).size, 3, 'one group per grid point: seeds and folds are averaged');
  assert.ok(s.runs.every((r, i) => r.tag.index === i && r.tag.total === 12));
  // deterministic: the same file expands to the same keys
  assert.deepEqual(expandSweep(base(), FILE, CLI_DEFAULTS).runs.map((r) => r.tag.key), s.runs.map((r) => r.tag.key));
});

test('a run key ignores where and how fast it runs, and changes with anything that defines the experiment', () => {
  const [r] = expandSweep(base(), FILE, CLI_DEFAULTS).runs;
  assert.equal(runKey({ ...r.spec, backend: 'webgpu', threads: 8, blasLibrary: '/x.so' }), runKey(r.spec));
  assert.notEqual(runKey({ ...r.spec, seed: 3 }), runKey(r.spec));
  assert.notEqual(runKey({ ...r.spec, overrides: { ...r.spec.overrides, reg: 0.1 } }), runKey(r.spec));
  assert.equal(groupKey({ ...r.spec, seed: 3, split: 'kfold:2:1:9' }), groupKey(r.spec));
  assert.notEqual(groupKey({ ...r.spec, overrides: { ...r.spec.overrides, lr: 0.5 } }), groupKey(r.spec));
});

test('random search is seeded, stays in its ranges, rounds integers and samples log ranges by exponent', () => {
  const doc = (seed: number) => base({ seeds: undefined, folds: undefined }, { grid: undefined, random: { n: 40, seed, space: { lr: { min: 1e-4, max: 1e-1, log: true }, factors: { min: 2, max: 64 }, reg: [0.01, 0.1] } } });
  const a = expandSweep(doc(5), FILE, CLI_DEFAULTS);
  const b = expandSweep(doc(5), FILE, CLI_DEFAULTS);
  const c = expandSweep(doc(6), FILE, CLI_DEFAULTS);
  assert.equal(a.runs.length, 40);
  assert.deepEqual(a.runs.map((r) => r.tag.point), b.runs.map((r) => r.tag.point));
  assert.notDeepEqual(a.runs.map((r) => r.tag.point), c.runs.map((r) => r.tag.point));
  for (const r of a.runs) {
    const { lr, factors, reg } = r.tag.point as { lr: number; factors: number; reg: number };
    assert.ok(lr >= 1e-4 && lr <= 1e-1, `lr ${lr}`);
    assert.ok(Number.isInteger(factors) && factors >= 2 && factors <= 64, `factors ${factors}`);
    assert.ok(reg === 0.01 || reg === 0.1);
  }
  // log-uniform: about a third of the samples per decade, far from uniform's 90 % in the last decade
  const lastDecade = a.runs.filter((r) => (r.tag.point.lr as number) > 1e-2).length;
  assert.ok(lastDecade < 25, `${lastDecade}/40 samples above 0.01`);
});

test('bad sweep files are refused with the file, the entry and the problem', () => {
  const bad = (doc: unknown, re: RegExp) => assert.throws(() => expandSweep(doc, FILE, CLI_DEFAULTS), re);
  bad(base({ select: { metric: 'rmse', split: 'test' } }), /validation split only/);
  bad(base({}, { grid: { lrr: [0.1] } }), /runs\[0\]: model biased-mf has no parameter "lrr" \(did you mean "lr"\?\)/);
  bad(base({}, { grid: { lr: [] } }), /grid\.lr must be a non-empty list/);
  bad(base({}, { grid: { lr: [0.1, 0.1] } }), /lists a value twice/);
  bad(base({}, { grid: { lr: [2] } }), /grid\.lr\[0\]: parameter lr: 2 is above the maximum 1/);
  bad(base({}, { overrides: { lr: 0.1 } }), /"lr" is both swept and fixed/);
  bad(base({ split: 'random:0.1:1' }), /"folds" sets each run's split/);
  bad(base({ grdi: {} }), /unknown key "grdi"/);
  bad(base({ seeds: [1, 1] }), /lists a seed twice/);
  bad(base({ select: 'hr@10' }), /runs\[0\]: task rating has no metric "hr@10"/);
  bad(base({}, { random: { n: 2, space: { lr: { min: 0, max: 1, log: true } } } }), /log range needs min > 0/);
  bad({ ...base(), runs: [{ model: 'biased-mf', overrides: { epochs: 3 } }, { model: 'biased-mf', overrides: { epochs: 3 } }] }, /expands to a run identical to/);
  bad({ ...base(), runs: [{ model: 'biased-mf', grid: { lr: [0.1] } }, { model: 'top-pop', task: 'ranking' }] }, /judged on different tasks \(rating, ranking\)/);
  // a plain list of runs may mix tasks (the README's example)
  assert.equal(expandSweep({ dataset: 'u1.base', runs: [{ model: 'biased-mf' }, { model: 'top-pop', dataset: 'u.data', split: 'chrono:0.7:0.1:0.2', minInteractions: 20 }] }, FILE, CLI_DEFAULTS).runs.length, 2);
});

test('given splits as folds: one fold per train/test pair, split "given"', () => {
  const s = expandSweep({ name: 'u', seeds: [1], folds: { files: [{ train: 'u1.base', test: 'u1.test' }, { train: 'u2.base', test: 'u2.test' }] }, runs: [{ model: 'biased-mf', grid: { lr: [0.01, 0.02] } }] }, FILE, CLI_DEFAULTS);
  assert.equal(s.runs.length, 4);
  assert.deepEqual(s.runs.map((r) => [r.tag.fold, r.spec.split, path.basename(r.spec.dataset.test as string)]), [['u1', 'given', 'u1.test'], ['u2', 'given', 'u2.test'], ['u1', 'given', 'u1.test'], ['u2', 'given', 'u2.test']]);
});

/** Writes a completed run of a sweep point with given validation and test RMSE at (a). */
function fakeRun(store: RunStore, r: ReturnType<typeof expandSweep>['runs'][number], val: number, testRmse: number, status: RunSummary['status'] = 'completed') {
  const h = store.create(r.spec, 'ratings', {}, r.tag);
  const rec = (x: number) => ({ globalEpoch: 3, train: { rmse: 0.5 }, val: { rmse: x }, test: { rmse: testRmse, mae: testRmse * 0.8 } });
  const summary: RunSummary = { runId: h.id, model: r.spec.model, dataset: 'ratings', backend: 'cpu', status, task: 'rating', selectBy: 'rmse', selection: status === 'completed' ? { valSelected: rec(val), last: rec(val), testSelected: rec(val) } : {}, trainRatings: 1, valRatings: 1, testRatings: 1, seconds: 1 };
  h.finish(summary);
}

test('the experiments table: states from the runs folder, mean ± std per grid point, the point chosen on validation, pending = what a rerun does', () => {
  const dir = tmp();
  const store = new RunStore(dir);
  const s = expandSweep(base({ select: 'rmse' }), FILE, CLI_DEFAULTS);
  // lr 0.005: val 1.0/1.2/1.1/1.3 ; lr 0.01: val 0.9… (best) ; lr 0.02: one run failed
  const vals = [1.0, 1.2, 1.1, 1.3, 0.9, 0.95, 0.92, 0.97, 0.5, 0.6, 0.55, 0.5];
  s.runs.forEach((r, i) => fakeRun(store, r, vals[i], 2 - vals[i], i === 11 ? 'failed' : 'completed'));
  const t = sweepTable(s, store);
  assert.equal(t.rows.length, 12);
  assert.deepEqual(t.counts, { completed: 11, failed: 1 });
  assert.equal(t.groups.length, 3);
  const g = t.groups.find((x) => x.point.lr === 0.005);
  const ms = meanStd([1.0, 1.2, 1.1, 1.3]);
  assert.ok(g && g.val && Math.abs(g.val.mean - 1.15) < 1e-12 && Math.abs(g.val.std - ms.std) < 1e-12);
  assert.ok(Math.abs((g?.test.rmse.valSelected?.mean ?? 0) - 0.85) < 1e-12);
  // the lr 0.02 group has the lowest validation RMSE but a failed run: the choice is among complete groups
  assert.equal(t.groups.find((x) => x.point.lr === 0.02)?.done, 3);
  assert.equal(t.groups.find((x) => x.chosen)?.point.lr, 0.01);
  assert.equal(t.chosen, t.groups.find((x) => x.point.lr === 0.01)?.group);
  // a rerun does only the failed point
  assert.deepEqual(pendingRuns(s, store).map((r) => r.tag.index), [11]);
  const csv = sweepCsv(t).trim().split('\n');
  assert.equal(csv.length, 13);
  assert.match(csv[0], /^index,run,state,model,lr,seed,fold,val rmse \(a\),test rmse \(a\)/);
  assert.match(csv[5], /^4,[^,]+,completed,biased-mf,0\.01,1,1\/2,0\.9,/);
  assert.ok(csv[5].endsWith(',yes'));
  // test numbers never choose: swapping the test RMSE does not move the choice
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the sbatch script: one array task per run, the limit, resources, logs per task, and the CLI call', () => {
  const sh = slurmScript({ name: 'mf-lr', manifest: '/shared/runs/.sweeps/mf-lr/x/manifest.json', runsDir: '/shared/runs', logs: '/shared/runs/.sweeps/mf-lr/x/logs', n: 12, node: '/opt/node/bin/node', cli: '/opt/krl/dist/cli.js', partition: 'gpu', time: '01:00:00', cpus: 4, gpus: 1, mem: '8G', arrayLimit: 3 });
  assert.match(sh, /^#!\/bin\/bash\n/);
  assert.match(sh, /#SBATCH --array=0-11%3\n/);
  assert.match(sh, /#SBATCH --partition=gpu\n/);
  assert.match(sh, /#SBATCH --time=01:00:00\n/);
  assert.match(sh, /#SBATCH --cpus-per-task=4\n/);
  assert.match(sh, /#SBATCH --gres=gpu:1\n/);
  assert.match(sh, /#SBATCH --mem=8G\n/);
  assert.match(sh, /#SBATCH --output=\/shared\/runs\/\.sweeps\/mf-lr\/x\/logs\/%A_%a\.out\n/);
  assert.match(sh, /exec \/opt\/node\/bin\/node \/opt\/krl\/dist\/cli\.js sweep-task \/shared\/runs\/\.sweeps\/mf-lr\/x\/manifest\.json --index "\$SLURM_ARRAY_TASK_ID" --runs-dir \/shared\/runs --threads 4/);
  // paths with spaces and quotes are quoted for bash
  assert.match(slurmScript({ name: 'a', manifest: "/x y/it's.json", runsDir: '/r', logs: '/l', n: 1, node: 'node', cli: 'c' }), /sweep-task '\/x y\/it'\\''s\.json'/);
});

test('the Kubernetes manifest is a valid batch/v1 Indexed Job (kubernetes-models schema); a broken one is caught', async () => {
  // kubernetes-models is ESM-only: a real dynamic import
  const load = new Function('s', 'return import(s)') as (s: string) => Promise<{ Job: new (x: unknown) => { validate(): void } }>;
  const { Job } = await load('kubernetes-models/batch/v1/Job');
  const job = k8sJob('mf lr', '/ws/.kernelrec/runs/.sweeps/mf-lr/x/manifest.json', '/ws/.kernelrec/runs', 12, { image: 'ghcr.io/acme/krl:1', pvc: 'krl-workspace', mountPath: '/ws', parallelism: 4, cpus: 2, gpus: 1, mem: '4Gi', node: 'node', cli: '/opt/kernel-rec-lab/dist/cli.js' });
  new Job(job).validate();
  const spec = job.spec as { completionMode: string; completions: number; parallelism: number; template: { spec: { containers: { command: string[]; resources: { limits: Record<string, string> } }[] } } };
  assert.equal(spec.completionMode, 'Indexed');
  assert.equal(spec.completions, 12);
  assert.equal(spec.parallelism, 4);
  assert.deepEqual(spec.template.spec.containers[0].command.slice(2, 4), ['sweep-task', '/ws/.kernelrec/runs/.sweeps/mf-lr/x/manifest.json']);
  assert.equal(spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'], '1');
  assert.equal((job.metadata as { name: string }).name, 'krl-mf-lr');
  const broken = JSON.parse(JSON.stringify(job));
  broken.spec.completions = 'twelve';
  assert.throws(() => new Job(broken).validate(), /completions/);
});

test('the experiment-file schema knows the sweep keys (grid, random, seeds, folds, select, name)', () => {
  const s = experimentSchema() as { properties: Record<string, unknown> & { runs: { items: { properties: Record<string, unknown> } } } };
  for (const k of ['name', 'select', 'seeds', 'folds']) assert.ok(k in s.properties, k);
  for (const k of ['grid', 'random', 'seeds', 'folds']) assert.ok(k in s.properties.runs.items.properties, k);
  const sel = JSON.stringify(s.properties.select);
  assert.match(sel, /"val"/);
  assert.doesNotMatch(sel, /"test"/);
});

test('the generated schema accepts a sweep file and rejects a grid over a parameter the model lacks, a range for an enum, a test-split select', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv') as new (o: unknown) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown[] } };
  const validate = new Ajv({ strict: false, allErrors: true }).compile(experimentSchema());
  const good = { name: 'mf', dataset: 'u.data', select: { metric: 'rmse', split: 'val' }, seeds: [1, 2], folds: { k: 5, seed: 1 }, runs: [{ model: 'biased-mf', overrides: { epochs: 5 }, grid: { lr: [0.01, 0.02] }, random: { n: 3, space: { reg: { min: 0.01, max: 0.1, log: true } } } }] };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.ok(!validate({ ...good, runs: [{ model: 'biased-mf', grid: { lrr: [0.01] } }] }), 'unknown grid key');
  assert.ok(!validate({ ...good, runs: [{ model: 'biased-mf', grid: { lr: [5] } }] }), 'grid value above the maximum');
  assert.ok(!validate({ ...good, select: { metric: 'rmse', split: 'test' } }), 'test-split select');
  assert.ok(!validate({ ...good, folds: { k: 1 } }), 'k < 2');
});

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repoRoot, 'dist', 'cli.js');
const built = fs.existsSync(cli) && fs.existsSync(path.join(repoRoot, 'dist', 'trainer.js'));

test('CLI: sweep --k8s writes a valid Indexed Job for the missing runs and refuses paths outside the mounted volume', { skip: !built && 'dist/cli.js not built' }, async () => {
  const { spawnSync } = await import('child_process');
  const { parse } = await import('yaml');
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, 'r.tsv'), '1\t1\t4\t1\n1\t2\t3\t2\n2\t1\t5\t3\n');
    fs.writeFileSync(path.join(dir, 's.krl.json'), JSON.stringify(base({ dataset: 'r.tsv' })));
    const out = path.join(dir, 'job.yaml');
    const r = spawnSync(process.execPath, [cli, 'sweep', 's.krl.json', '--k8s', '--image', 'krl:1', '--mount', dir, '--parallelism', '3', '--out', out, '--runs-dir', path.join(dir, 'runs')], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const job = parse(fs.readFileSync(out, 'utf8'));
    const load = new Function('s', 'return import(s)') as (s: string) => Promise<{ Job: new (x: unknown) => { validate(): void } }>;
    const { Job } = await load('kubernetes-models/batch/v1/Job');
    new Job(job).validate();
    assert.equal(job.spec.completions, 12);
    assert.equal(job.spec.parallelism, 3);
    const manifest = job.spec.template.spec.containers[0].command[3];
    assert.equal(JSON.parse(fs.readFileSync(manifest, 'utf8')).runs.length, 12);
    const outside = spawnSync(process.execPath, [cli, 'sweep', 's.krl.json', '--k8s', '--image', 'krl:1', '--mount', path.join(dir, 'elsewhere'), '--runs-dir', path.join(dir, 'runs')], { cwd: dir, encoding: 'utf8' });
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /lie outside it/);
    const noSel = spawnSync(process.execPath, [cli, 'sweep', 's.krl.json', '--dry-run'], { cwd: dir, encoding: 'utf8' });
    assert.equal(noSel.status, 0, noSel.stderr);
    // a --json answer longer than a pipe's buffer arrives whole (the CLI exits only once stdout is flushed)
    fs.writeFileSync(path.join(dir, 'big.krl.json'), JSON.stringify(base({ dataset: 'r.tsv', seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, { grid: { lr: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01] } })));
    const big = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" sweep big.krl.json --dry-run --json | cat`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.ok(big.stdout.length > 65536, `${big.stdout.length} bytes`);
    assert.equal(JSON.parse(big.stdout).runs.length, 200);
    // a malformed dataset stops a local sweep at the first point, exit 2 naming the file and line, no run folders
    fs.writeFileSync(path.join(dir, 'broken.tsv'), '1\t1\t4\t1\nx\t2\t3\t2\n');
    fs.writeFileSync(path.join(dir, 'broken.krl.json'), JSON.stringify(base({ dataset: 'broken.tsv' })));
    const broken = spawnSync(process.execPath, [cli, 'sweep', 'broken.krl.json', '--runs-dir', path.join(dir, 'runs-broken')], { cwd: dir, encoding: 'utf8' });
    assert.equal(broken.status, 2, broken.stderr);
    assert.match(broken.stderr, /error: .*broken\.tsv:2: user id "x" is not an integer\nthe sweep stopped/);
    assert.ok(!fs.existsSync(path.join(dir, 'runs-broken')) || fs.readdirSync(path.join(dir, 'runs-broken')).filter((f) => !f.startsWith('.')).every((f) => JSON.parse(fs.readFileSync(path.join(dir, 'runs-broken', f, 'run.json'), 'utf8')).status === 'cancelled'));
    fs.writeFileSync(path.join(dir, 'bad.krl.json'), JSON.stringify(base({ dataset: 'r.tsv', select: { metric: 'rmse', split: 'test' } })));
    const bad = spawnSync(process.execPath, [cli, 'sweep', 'bad.krl.json', '--dry-run'], { cwd: dir, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.krl\.json: "select\.split" "test": a sweep chooses on the validation split only/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: a workspace preset (.kernelrec/presets.json) trains with --preset; a wrong model or a typo is refused by name', { skip: !built && 'dist/cli.js not built' }, async () => {
  const { spawnSync } = await import('child_process');
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, 'r.tsv'), syntheticTsv({ users: 40, items: 30, rank: 2, density: 0.3, noise: 0.2, seed: 3 }));
    saveUserPreset(presetsFile(dir), 'mf-best', { model: 'biased-mf', values: { lr: 0.013, epochs: 2 }, source: { sweep: 'x' } });
    saveUserPreset(presetsFile(dir), 'other', { model: 'biased-mf', values: { lr: 0.02 } });
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(presetsFile(dir), 'utf8')).presets), ['mf-best', 'other']);
    const r = spawnSync(process.execPath, [cli, 'train', '--model', 'biased-mf', '--preset', 'mf-best', '--train', 'r.tsv', '--runs-dir', 'runs', '--json', '--quiet'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const id = JSON.parse(r.stdout.trim().split('\n').at(-1) as string).runId;
    const rec = JSON.parse(fs.readFileSync(path.join(dir, 'runs', id, 'run.json'), 'utf8'));
    assert.deepEqual(rec.spec.overrides, { lr: 0.013, epochs: 2 });
    assert.equal(rec.spec.preset, undefined);
    const typo = spawnSync(process.execPath, [cli, 'train', '--model', 'biased-mf', '--preset', 'mf-bset', '--train', 'r.tsv', '--runs-dir', 'runs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /no preset "mf-bset" \(did you mean "mf-best"\?\).*workspace presets: mf-best, other/);
    const wrong = spawnSync(process.execPath, [cli, 'train', '--model', 'top-pop', '--preset', 'mf-best', '--train', 'r.tsv', '--runs-dir', 'runs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /workspace preset "mf-best" is for model biased-mf, not top-pop/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
