#!/usr/bin/env node
/**
 * kernel-rec-lab — headless CLI over the same core code path as the extension's trainer.
 *   kernel-rec-lab train [--model <id>] --train <file> [--test <file>] [--task rating|ranking|interaction]
 *                        [--split ...] [--val <frac>] [--preset <name>] [--set key=value ...]
 *                        [--backend auto|tensorflow|webgpu|cpu] [--runs-dir <dir>] [--json]
 *   kernel-rec-lab list [--json] [--runs-dir <dir>]
 *   kernel-rec-lab show <runId> [--json] [--runs-dir <dir>]
 *   kernel-rec-lab models
 *   kernel-rec-lab demo
 * Exit codes: 0 done, 1 failure, 2 bad input, 130 cancelled.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RunSink } from './core/run';
import { DEFAULT_MODEL, getModel, listModels } from './core/models/catalogue';
import { syntheticTsv } from './core/data/synthetic';
import { datasetName } from './core/data/names';
import { columnText, columnValue, headline, resultColumnSpecs, SELECTIONS, taskOfSummary } from './core/tasks/format';
import { RunStore, RunWriteError, recordingSink, writeError, type LoadedRun } from './host/runStore';
import { metricsCsv, runJson } from './host/exporter';
import { settleRun } from './host/runQueue';
import { startTrainer, type TrainerRun } from './host/trainerClient';
import { runTask, selectionFromMetrics } from './host/runInfo';
import { buildRunSpec, BACKENDS, CLI_DEFAULTS, SpecError, suggest } from './host/runSpecBuilder';
import type { BackendName, RunSpec, RunSummary } from './protocol/types';
import { SweepCommands } from './host/sweepCli';
import { textTable } from './host/textTable';
import { loadUserPresets, presetsFile, type UserPresets } from './host/userPresets';
import type { SweepTag } from './host/sweep';

const EXIT = { ok: 0, failure: 1, input: 2, cancelled: 130 } as const;

class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

interface Parsed {
  cmd: string;
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'quiet', 'no-progress', 'yes', 'dry-run', 'slurm', 'k8s', 'groups']);

const TRAIN_FLAGS = ['model', 'train', 'test', 'task', 'select', 'ks', 'split', 'min-interactions', 'val', 'preset', 'set', 'seed', 'format', 'backend', 'threads', 'blas', 'runs-dir', 'max-memory', 'json', 'quiet', 'no-progress'];
/** The options each command takes (anything else is an error with a suggestion). */
const COMMAND_FLAGS: Record<string, string[]> = {
  train: TRAIN_FLAGS,
  list: ['runs-dir', 'json', 'status', 'model', 'dataset'],
  show: ['runs-dir', 'json'],
  delete: ['runs-dir', 'yes'],
  compare: ['runs-dir', 'json'],
  export: ['runs-dir', 'format', 'out'],
  models: ['json'],
  demo: ['backend', 'runs-dir'],
  synthetic: ['users', 'items', 'ratings', 'rank', 'noise', 'seed', 'out'],
  sweep: ['runs-dir', 'json', 'dry-run', 'max-concurrent', 'backend', 'threads', 'blas', 'max-memory', 'quiet', 'slurm', 'partition', 'time', 'cpus', 'gpus', 'mem', 'account', 'array-limit', 'node', 'k8s', 'image', 'pvc', 'mount', 'parallelism', 'cli', 'out'],
  'sweep-task': ['runs-dir', 'index', 'threads', 'blas', 'max-memory', 'json', 'quiet'],
  'sweep-status': ['runs-dir', 'json', 'csv', 'groups'],
  help: [],
};

function parseArgs(argv: string[]): Parsed {
  const [cmd = 'help', ...rest] = argv;
  const allowed = COMMAND_FLAGS[cmd];
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-h') {
      flags.set('help', ['true']);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (allowed && name !== 'help' && !allowed.includes(name)) throw new UsageError(`unknown option --${name} for "${cmd}"${suggest(name, allowed)} (see kernel-rec-lab ${cmd} --help)`, cmd);
      let value: string;
      if (eq > 0) value = a.slice(eq + 1);
      else if (BOOLEAN_FLAGS.has(name)) value = 'true';
      else {
        if (i + 1 >= rest.length) throw new UsageError(`--${name} needs a value`);
        value = rest[++i];
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { cmd, positional, flags };
}

const one = (p: Parsed, k: string): string | undefined => p.flags.get(k)?.at(-1);

const USAGE = `kernel-rec-lab — train and compare kernel-based matrix-completion recommenders

Usage:
  kernel-rec-lab train [--model <id>] --train <file> [--test <file>] [options]
  kernel-rec-lab list [--status <s>] [--model <id>] [--dataset <name>] [--json]
  kernel-rec-lab show <runId> [--json]
  kernel-rec-lab compare <runId> <runId> [...] [--json]
  kernel-rec-lab export <runId> [--format csv|json] [--out <file>]
  kernel-rec-lab delete <runId> [...] --yes
  kernel-rec-lab models [--json]
  kernel-rec-lab demo
  kernel-rec-lab synthetic --users U --items I --ratings N --out <file.tsv>
  kernel-rec-lab sweep <file.krl.json> [--dry-run] [--max-concurrent n] [--slurm … | --k8s …]
  kernel-rec-lab sweep-status [<file.krl.json> | <sweep id>] [--json] [--csv <file>]
  kernel-rec-lab <command> --help

train options:
  --model <id>          model (default: ${DEFAULT_MODEL}; see 'kernel-rec-lab models')
  --train <file>        ratings file: MovieLens u.data/uN.base/ratings.dat, CSV/TSV, or a Monti .mat file
  --test <file>         test file (found automatically for u1.base ↔ u1.test and x.train.csv ↔ x.test.csv)
  --task <t>            rating | ranking | interaction (default: the model's first task; see 'kernel-rec-lab models')
  --select <metric>     the metric that selects (a) and (c), e.g. rmse, hr@10, auc (default: the task's)
  --ks <k,k,…>          ranking cut-offs (default 1,5,10)
  --split <spec>        auto | given | random:<frac>:<seed> | kfold:<k>:<i>:<seed> | chrono:<frac>
                        | chrono:<train>:<val>:<test> (per user by time, e.g. chrono:0.7:0.1:0.2)
                        | cvs1|cvs2|cvs3:<k>:<i>:<seed> (drug–target folds: pairs, whole drugs, whole targets)  (default auto)
  --min-interactions n  keep users and items with at least n interactions (n or users:items; repeated until stable)
  --val <frac>          validation fraction carved from training (default 0.05, at most 0.5; 0 disables)
  --preset <name>       the model's paper settings for a dataset (e.g. ml-100k), or a preset saved in
                        ./.kernelrec/presets.json (the experiments table's "Save the chosen point as a preset")
  --set key=value       override a hyper-parameter (repeatable)
  --seed <n>            seed for splits and initialisation (default 1234)
  --format <f>          auto | movielens | movielens-dat | csv | tsv | mat | yamanishi (default auto)
  --backend <b>         ${BACKENDS.join(' | ')} (default auto)
  --threads <n>         threads: cpu backend BLAS and element-wise, LLORMA's local models (default: cores)
  --blas <path>         BLAS library to load (default: OpenBLAS / Accelerate search)
  --runs-dir <dir>      where run folders go (default ./.kernelrec/runs)
  --max-memory <GiB>    refuse a run whose model would need more memory for the dataset (default: 3/4 of this machine's)
  --json                print the run summary as one JSON object on the last stdout line

Exit codes: 0 done, 1 failure, 2 bad input, 130 cancelled.`;

const HELP: Record<string, string> = {
  list: `kernel-rec-lab list [--status <s>] [--model <id>] [--dataset <name>] [--json] [--runs-dir <dir>]

Lists the runs (newest first): id, status, model, dataset, started, duration and the selection metric's
val-selected test value. --status keeps one status (completed, failed, cancelled, interrupted, running, queued,
corrupt); --model and --dataset keep runs whose model / dataset name contain the text.`,
  show: `kernel-rec-lab show <runId> [--json] [--runs-dir <dir>]

One run: status, model, preset and hyper-parameters, dataset and split, seed, backend, timings, the results table
(rebuilt from metrics.jsonl for runs without a summary, e.g. interrupted ones) and any problem reading its folder.`,
  compare: `kernel-rec-lab compare <runId> <runId> [...] [--json] [--runs-dir <dir>]

Side by side: the runs' models, presets, hyper-parameters (those that differ marked *), splits, seeds, backends,
seconds and their metrics at (a) val-selected, (b) last and (c) test-selected.`,
  export: `kernel-rec-lab export <runId> [--format csv|json] [--out <file>] [--runs-dir <dir>]

Per-epoch metrics as CSV (a column per split and metric of the run's task; the default) or the whole run as JSON,
to --out or to standard output.`,
  delete: `kernel-rec-lab delete <runId> [...] --yes [--runs-dir <dir>]

Deletes run folders (only folders directly inside the runs folder). --yes is required.`,
  models: `kernel-rec-lab models [--json]

Every model: family, tasks, source, each parameter (type, range, default, meaning) and each preset with the paper
numbers it reproduces. --json prints the catalogue as JSON.`,
  sweep: `kernel-rec-lab sweep <file.krl.json> [--dry-run] [--json] [--runs-dir <dir>] [--max-concurrent n] [--backend <b>]
kernel-rec-lab sweep <file.krl.json> --slurm [--partition P] [--time T] [--cpus N] [--gpus G] [--mem M] [--account A]
                     [--array-limit L] [--node <path>]
kernel-rec-lab sweep <file.krl.json> --k8s --image <image> [--pvc <claim>] [--mount <path>] [--parallelism n]
                     [--cpus N] [--gpus G] [--mem M] [--node <path>] [--cli <path in the image>] [--out <job.yaml>]

Expands the experiment file's runs — "grid" (cartesian), "random" (seeded samples), "seeds", "folds" — and runs
the points not yet completed in the runs folder (a rerun fills in only what is missing).
  --dry-run          print the expanded runs (index, key, point, seed, fold, state) and stop
  (default)          run them here through the queue, --max-concurrent at a time (default 1); Ctrl-C cancels all
  --slurm            write a job array (one task per run) under <runs>/.sweeps/<id>/ and submit it with sbatch;
                     prints the job id. The runs folder and the datasets must be on a file system the compute nodes
                     share; --node is the Node binary there (default: this one)
  --k8s              write an Indexed Job manifest (not applied): the PVC --pvc (default krl-workspace) mounted at
                     --mount (default: the current folder) must hold the datasets and the runs folder
Then: kernel-rec-lab sweep-status <file> shows every point's state and the validation-chosen point.`,
  'sweep-status': `kernel-rec-lab sweep-status [<file.krl.json> | <sweep id>] [--json] [--csv <file>] [--groups] [--runs-dir <dir>]

A sweep's runs (from its file, or from the runs folder by sweep id; without either: the sweeps in the runs folder):
state per point — pending, queued or running on Slurm (squeue/sacct), running, completed, failed, cancelled,
interrupted — the validation score of each completed run, the groups (mean ± std over seeds and folds) and the
point chosen on validation. --csv writes the table as CSV.`,
  'sweep-task': `kernel-rec-lab sweep-task <manifest.json> [--index i] [--runs-dir <dir>]

One run of a sweep manifest (called by the Slurm array script and the Kubernetes Job; the index defaults to
SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX). A run whose key is already completed is skipped.`,
  synthetic: `kernel-rec-lab synthetic --users U --items I --ratings N [--rank 5] [--noise 0.3] [--seed 1] --out <file.tsv>

Writes a rank-r rating matrix plus noise of the given shape as MovieLens tab-separated text (user, item, rating
1–5, timestamp), about N ratings spread uniformly, every user and item rated at least once: to check the memory and
speed of a model on a dataset's shape (e.g. ML-1M: --users 6040 --items 3706 --ratings 1000209) without the data.`,
  demo: `kernel-rec-lab demo [--backend <b>] [--runs-dir <dir>]

Writes a generated dataset to ./.demo and trains the default model (short schedule), biased MF and the
(user + item)/2 baseline on it, then prints the results table.`,
};

/** A run's wall time in seconds (finished − started), when both are known. */
function duration(r: { startedAt?: string; finishedAt?: string }): number | undefined {
  if (!r.startedAt || !r.finishedAt) return undefined;
  const s = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

function fmtSeconds(s: number | undefined): string {
  if (s === undefined) return '—';
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${(s / 3600).toFixed(1)} h`;
}

/** A summary rebuilt from metrics.jsonl for runs that have none (interrupted, or killed before they wrote it). */
function rebuiltSummary(run: LoadedRun): RunSummary | undefined {
  if (run.corrupt || run.metrics.length === 0) return undefined;
  const r = run.record;
  return { runId: r.id, model: r.spec.model, dataset: r.datasetName, backend: r.backend?.name ?? 'none', status: r.status, ...selectionFromMetrics(r.spec, run.metrics), trainRatings: r.dataset?.fit ?? 0, valRatings: r.dataset?.val ?? 0, testRatings: r.dataset?.test ?? 0, seconds: duration(r) ?? 0 };
}

/** --max-memory in GiB, as bytes (undefined: the default, 3/4 of the machine's memory). */
function maxMemory(p: Parsed): number | undefined {
  const v = one(p, 'max-memory');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--max-memory ${v}: give a number of GiB above 0`);
  return n * 2 ** 30;
}

function runsDir(p: Parsed): string {
  return path.resolve(one(p, 'runs-dir') ?? process.env.KRL_RUNS_DIR ?? path.join(process.cwd(), '.kernelrec', 'runs'));
}

function fmt(x: number | undefined, d = 4): string {
  return x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '—';
}

/** Result tables built from the metric definitions: one per task among the summaries. */
export function resultsTable(summaries: RunSummary[]): string {
  const byTask = new Map<string, RunSummary[]>();
  for (const s of summaries) byTask.set(`${s.task}|${s.selectBy}`, [...(byTask.get(`${s.task}|${s.selectBy}`) ?? []), s]);
  const out: string[] = [];
  for (const group of byTask.values()) {
    const first = group[0];
    const task = taskOfSummary(first);
    const cols = resultColumnSpecs(task, first.selectBy).filter((c) => (c.kind === 'metric' ? true : group.some((s) => s.paper)));
    const head = ['model', ...cols.map((c) => c.head), 'seconds', 'backend', 'status'];
    const rows = group.map((s) => [s.model, ...cols.map((c) => columnText(c, columnValue(c, s))), s.seconds.toFixed(1), s.backend, s.status]);
    out.push(`Test ${task.name.toLowerCase()} metrics (${first.dataset}); (a)/(c) selected by ${task.metrics.find((m) => m.key === first.selectBy)?.label ?? first.selectBy}\n` + textTable([head, ...rows]));
  }
  return out.join('\n\n');
}

/** The presets saved in this folder's .kernelrec/presets.json (the experiments table's "Save as preset"). */
function workspacePresets(): UserPresets {
  return loadUserPresets(presetsFile(process.cwd()));
}

/** The train command's flags through the one run-spec builder (validated before any run folder exists). */
export function specFromArgs(p: Parsed): RunSpec {
  const train = one(p, 'train') ?? p.positional[0];
  if (!train) throw new UsageError('train needs --train <file>');
  const spec = buildRunSpec({
    model: one(p, 'model') ?? DEFAULT_MODEL, preset: one(p, 'preset'), assignments: p.flags.get('set') ?? [],
    task: one(p, 'task'), select: one(p, 'select'), ks: one(p, 'ks'),
    train, test: one(p, 'test'), format: one(p, 'format'), split: one(p, 'split'), minInteractions: one(p, 'min-interactions'),
    valFraction: one(p, 'val'), seed: one(p, 'seed'), backend: one(p, 'backend'), threads: one(p, 'threads'),
  }, { ...CLI_DEFAULTS, blasLibrary: one(p, 'blas'), userPresets: workspacePresets() });
  return spec;
}



function progressSink(json: boolean, quiet: boolean, selectBy: () => string, axis: () => string): Partial<RunSink> {
  const tty = process.stderr.isTTY && !json;
  let last = '';
  return {
    log: (l) => {
      if (quiet && l.level !== 'error' && l.level !== 'warn') return;
      if (l.level === 'debug' && !process.env.KRL_DEBUG) return;
      if (tty && last) process.stderr.write('\r\x1b[K');
      process.stderr.write(`${l.level === 'info' ? '' : l.level + ': '}${l.message}\n`);
    },
    epoch: (m) => {
      const key = selectBy();
      const text = `${m.phase} ${axis()} ${m.epoch}/${m.epochs}  loss ${fmt(m.trainLoss, 4)}  ${key}: train ${fmt(m.train[key])}  val ${fmt(m.val[key])}  test ${fmt(m.test[key])}  ${m.seconds.toFixed(2)} s`;
      if (quiet) return;
      if (tty) {
        last = text;
        process.stderr.write(`\r\x1b[K${text}`);
      } else process.stderr.write(text + '\n');
    },
    progress: (pr) => {
      if (!tty || quiet) return;
      const w = 24;
      const filled = Math.round(pr.fraction * w);
      process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${(pr.fraction * 100).toFixed(0).padStart(3)}%  ${last || pr.message}`);
    },
  };
}

/** The trainer bundle next to this CLI (dist/trainer.js): runs train in it, as in the extension. */
function trainerPath(): string {
  const p = path.join(__dirname, 'trainer.js');
  if (!fs.existsSync(p)) throw new Error(`the trainer bundle ${p} is missing (run npm run build)`);
  return p;
}

/**
 * Trains one run in a trainer child process, as the extension does: an out-of-memory or native crash fails the
 * run, not the CLI. Ctrl-C / SIGTERM: a JSON-RPC cancel, and a kill if the trainer has not stopped within 1.5 s
 * (so the CLI ends within 2 s at every stage, loading included); a second Ctrl-C kills it at once. Either way the
 * run folder stays readable and `cancelled`. A run that fails on bad input before training leaves no folder.
 */
async function train(spec: RunSpec, opts: { runsDir: string; json: boolean; quiet?: boolean; maxMemoryBytes?: number; sweep?: SweepTag }): Promise<{ code: number; summary: RunSummary }> {
  const store = new RunStore(opts.runsDir);
  const handle = store.create(spec, datasetName(spec.dataset.train, spec.dataset.test), { cli: cliVersion() }, opts.sweep);
  const { selectBy } = runTask({ record: { spec } });
  let axis = 'epoch';
  try {
    axis = getModel(spec.model).epochAxis ?? 'epoch';
  } catch {
    /* reported by the run */
  }
  let writeErr: RunWriteError | undefined;
  let run: TrainerRun | undefined;
  const sink = recordingSink(handle, progressSink(opts.json, !!opts.quiet, () => selectBy, () => axis), (e) => {
    writeErr = e;
    process.stderr.write(`\nerror: ${e.message}; stopping the run\n`);
    run?.cancel();
  });
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      process.stderr.write('\ncancelling… (Ctrl-C again to stop at once)\n');
      run?.cancel();
    } else run?.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    run = startTrainer(handle.id, spec, sink, { trainerPath: trainerPath(), killAfterMs: 1500, maxMemoryBytes: opts.maxMemoryBytes }, path.join(handle.dir, 'artifacts'));
    try {
      handle.markRunning(run.pid);
    } catch (e) {
      writeErr = writeError(handle.dir, e);
      run.cancel();
    }
    const raw = await run.result;
    const { result, removed, writeProblem } = settleRun(store, handle, spec, raw, writeErr);
    // the trainer is gone before the CLI is: a run whose status could not be written then reads as interrupted
    await run.exited(3000);
    if (process.stderr.isTTY && !opts.json) process.stderr.write('\n');
    if (writeProblem) process.stderr.write(`error: ${writeProblem}\n`);
    const s = result.summary;
    const code = s.status === 'completed' ? EXIT.ok : s.status === 'cancelled' ? EXIT.cancelled : result.errorKind === 'input' ? EXIT.input : EXIT.failure;
    if (!removed) process.stderr.write(`run folder: ${handle.dir}\n`);
    return { code, summary: s };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function cliVersion(): string {
  try {
    // dist/cli.js → ../package.json
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'dev';
  }
}

/** The --json summary: the run's task, selection metric and, per metric, (a) (b) (c) on the test part. */
export function summaryJson(s: RunSummary): string {
  const clean = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  const task = taskOfSummary(s);
  const keys = [...task.metrics.map((m) => m.key), ...Object.keys(s.selection.last?.test ?? {}).filter((k) => !task.metrics.some((m) => m.key === k))];
  const metrics: Record<string, Record<string, number | null>> = {};
  for (const k of keys) metrics[k] = Object.fromEntries(SELECTIONS.map((w) => [w.key, clean(s.selection[w.key]?.test[k])]));
  return JSON.stringify({
    runId: s.runId, model: s.model, dataset: s.dataset, backend: s.backend, status: s.status,
    task: s.task, selectBy: s.selectBy, metrics,
    epochs: Object.fromEntries(SELECTIONS.map((w) => [w.key, s.selection[w.key]?.globalEpoch ?? 0])),
    iterations: Object.fromEntries(SELECTIONS.map((w) => [w.key, s.selection[w.key]?.iterations ?? null])),
    paper: s.paper ?? null, trainRatings: s.trainRatings, valRatings: s.valRatings, testRatings: s.testRatings,
    seconds: s.seconds, error: s.error ?? null,
  });
}

async function main(argv: string[]): Promise<number> {
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return EXIT.input;
  }
  const json = one(p, 'json') === 'true';
  if (one(p, 'help') === 'true' && p.cmd !== 'help') {
    process.stdout.write((p.cmd === 'train' ? USAGE : HELP[p.cmd] ?? USAGE) + '\n');
    return EXIT.ok;
  }
  try {
    switch (p.cmd) {
      case 'train': {
        const spec = specFromArgs(p);
        const { code, summary } = await train(spec, { runsDir: runsDir(p), json, quiet: one(p, 'quiet') === 'true', maxMemoryBytes: maxMemory(p) });
        if (summary.status !== 'failed' || summary.selection.last) process.stdout.write(resultsTable([summary]) + '\n');
        if (json) process.stdout.write(summaryJson(summary) + '\n');
        return code;
      }
      case 'list': {
        const status = one(p, 'status');
        const okStatus = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'corrupt'];
        if (status && !okStatus.includes(status)) throw new UsageError(`--status ${status}: use one of ${okStatus.join(', ')}${suggest(status, okStatus)}`);
        const runs = new RunStore(runsDir(p)).list().filter((r) =>
          (!status || r.record.status === status) && (!one(p, 'model') || r.record.spec.model.includes(one(p, 'model') as string)) && (!one(p, 'dataset') || r.record.datasetName.includes(one(p, 'dataset') as string)));
        if (json) {
          process.stdout.write(JSON.stringify(runs.map((r) => ({ id: r.record.id, status: r.record.status, model: r.record.spec.model, dataset: r.record.datasetName, createdAt: r.record.createdAt, startedAt: r.record.startedAt ?? null, seconds: duration(r.record), corrupt: r.corrupt ?? null, summary: r.summary ? JSON.parse(summaryJson(r.summary)) : null }))) + '\n');
        } else if (runs.length === 0) {
          process.stdout.write(`no runs${status ? ` with status ${status}` : ''} in ${runsDir(p)}\n`);
        } else {
          process.stdout.write(textTable([['run', 'status', 'model', 'dataset', 'started', 'duration', 'val-selected (test)'], ...runs.map((r) => [
            r.record.id, r.record.status, r.record.spec.model, r.record.datasetName, (r.record.startedAt ?? r.record.createdAt ?? '').replace('T', ' ').slice(0, 19), fmtSeconds(duration(r.record)),
            r.summary && r.summary.selection.valSelected ? headline(r.summary) : r.corrupt ? r.corrupt.slice(0, 60) : '—',
          ])]) + '\n');
        }
        return EXIT.ok;
      }
      case 'show': {
        const id = p.positional[0];
        if (!id) throw new UsageError('show needs a run id (see kernel-rec-lab list)');
        const run = new RunStore(runsDir(p)).load(id);
        const summary = run.summary ?? rebuiltSummary(run);
        if (json) process.stdout.write(JSON.stringify({ record: run.record, summary: summary ?? null, metrics: run.metrics, corrupt: run.corrupt ?? null, warnings: run.warnings }) + '\n');
        else {
          const r = run.record;
          const lines = [
            `${r.id}  ${r.status}  ${r.spec.model} on ${r.datasetName}`,
            `folder: ${run.dir}`,
          ];
          if (run.corrupt) lines.push(`corrupt: ${run.corrupt}`);
          for (const w of run.warnings) lines.push(`warning: ${w}`);
          if (!run.corrupt) {
            lines.push(`preset: ${r.spec.preset ?? '(model defaults)'} · overrides: ${Object.entries(r.spec.overrides).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`);
            lines.push(`dataset: ${r.spec.dataset.train}${r.spec.dataset.test ? ` + ${r.spec.dataset.test}` : ''} · split ${r.spec.split} · validation ${r.spec.valFraction} · seed ${r.spec.seed}${r.spec.task ? ` · task ${r.spec.task}` : ''}${r.spec.minInteractions ? ` · min interactions ${r.spec.minInteractions.users}/${r.spec.minInteractions.items}` : ''}`);
            if (r.backend) lines.push(`backend: ${r.backend.name} — ${r.backend.device}`);
            lines.push(`created ${r.createdAt}${r.startedAt ? ` · started ${r.startedAt}` : ''}${r.finishedAt ? ` · finished ${r.finishedAt}` : ''}${duration(r) !== undefined ? ` · ${fmtSeconds(duration(r))}` : ''}`);
          }
          if (r.error) lines.push(`error: ${r.error}`);
          process.stdout.write(lines.join('\n') + '\n');
          if (summary?.selection.last) process.stdout.write((run.summary ? '' : '(rebuilt from metrics.jsonl: the run has no summary)\n') + resultsTable([summary]) + '\n');
          process.stdout.write(`${run.metrics.length} epoch(s) recorded\n`);
        }
        return EXIT.ok;
      }
      case 'compare': {
        if (p.positional.length < 2) throw new UsageError('compare needs two or more run ids (see kernel-rec-lab list)');
        const store = new RunStore(runsDir(p));
        const runs = p.positional.map((id) => store.load(id));
        const sums = runs.map((r) => r.summary ?? rebuiltSummary(r));
        if (json) {
          process.stdout.write(JSON.stringify(runs.map((r, k) => ({ id: r.record.id, spec: r.record.spec, summary: sums[k] ? JSON.parse(summaryJson(sums[k] as RunSummary)) : null }))) + '\n');
          return EXIT.ok;
        }
        const keys = [...new Set(runs.flatMap((r) => Object.keys(r.record.spec.overrides)))].sort();
        const rows: string[][] = [['', ...runs.map((r) => r.record.id)]];
        const row = (label: string, vals: string[]) => rows.push([vals.every((v) => v === vals[0]) ? label : `${label} *`, ...vals]);
        row('model', runs.map((r) => r.record.spec.model));
        row('preset', runs.map((r) => r.record.spec.preset ?? '—'));
        for (const k of keys) row(k, runs.map((r) => (r.record.spec.overrides[k] === undefined ? '(default)' : String(r.record.spec.overrides[k]))));
        row('dataset', runs.map((r) => r.record.datasetName));
        row('split', runs.map((r) => r.record.spec.split));
        row('seed', runs.map((r) => String(r.record.spec.seed)));
        row('backend', runs.map((r) => r.record.backend?.name ?? '—'));
        row('status', runs.map((r) => r.record.status));
        row('seconds', runs.map((_, k) => (sums[k] ? (sums[k] as RunSummary).seconds.toFixed(1) : '—')));
        const metricKeys = [...new Set(sums.flatMap((s) => (s ? taskOfSummary(s).metrics.map((m) => m.key) : [])))];
        for (const key of metricKeys) {
          for (const w of SELECTIONS) row(`${key} ${w.short}`, sums.map((s) => { const v = s?.selection[w.key]?.test[key]; return v === undefined ? '—' : v.toFixed(4); }));
        }
        process.stdout.write(textTable(rows) + '\n(* differs between the runs)\n');
        return EXIT.ok;
      }
      case 'export': {
        const id = p.positional[0];
        if (!id) throw new UsageError('export needs a run id (see kernel-rec-lab list)');
        const format = one(p, 'format') ?? 'csv';
        if (format !== 'csv' && format !== 'json') throw new UsageError(`--format ${format}: use csv or json${suggest(format, ['csv', 'json'])}`);
        const run = new RunStore(runsDir(p)).load(id);
        const text = format === 'csv' ? metricsCsv(run) : runJson(run);
        const out = one(p, 'out');
        if (out) {
          fs.writeFileSync(path.resolve(out), text);
          process.stderr.write(`exported ${id} to ${path.resolve(out)}\n`);
        } else process.stdout.write(text);
        return EXIT.ok;
      }
      case 'delete': {
        if (p.positional.length === 0) throw new UsageError('delete needs one or more run ids (see kernel-rec-lab list)');
        if (one(p, 'yes') !== 'true') throw new UsageError(`delete removes run folders for good: add --yes to confirm (${p.positional.join(', ')})`);
        const store = new RunStore(runsDir(p));
        for (const id of p.positional) {
          const r = store.load(id);
          if ((r.record.status === 'running' || r.record.status === 'queued')) throw new UsageError(`run ${id} is ${r.record.status}: cancel it first`);
          store.delete(id);
          process.stdout.write(`deleted ${id}\n`);
        }
        return EXIT.ok;
      }
      case 'models': {
        const pad = ''.padEnd(16);
        for (const m of listModels()) {
          if (json) continue;
          process.stdout.write(`${m.id.padEnd(16)} ${m.name} — ${m.description}\n`);
          process.stdout.write(`${pad} family ${m.family} · tasks ${m.tasks.join(', ')} · source: ${m.source.kind}${m.source.note ? ` (${m.source.note})` : ''}\n`);
          for (const x of m.params) process.stdout.write(`${pad}   ${x.key}=${x.default}  ${x.type}${x.options ? ` {${x.options.join(', ')}}` : x.min !== undefined || x.max !== undefined ? ` [${x.min ?? '−∞'}, ${x.max ?? '∞'}]` : ''}  ${x.description}\n`);
          for (const [name, pr] of Object.entries(m.presets)) {
            const paper = pr.dataset ? m.paperResults.find((r) => r.dataset === pr.dataset) : undefined;
            process.stdout.write(`${pad} preset ${name}: ${pr.description}${paper ? ` — paper ${Object.entries(paper.metrics).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}\n`);
          }
        }
        if (json) process.stdout.write(JSON.stringify(listModels()) + '\n');
        return EXIT.ok;
      }
      case 'demo':
        return await demo(p);
      case 'synthetic': {
        const n = (k: string, d?: number, lo = 1) => {
          const v = one(p, k);
          if (v === undefined && d !== undefined) return d;
          const x = Number(v);
          if (v === undefined || !Number.isFinite(x) || x < lo) throw new UsageError(`synthetic needs --${k} (a number ≥ ${lo})`);
          return x;
        };
        const users = n('users');
        const items = n('items');
        const ratings = n('ratings');
        const file = one(p, 'out');
        if (!file) throw new UsageError('synthetic needs --out <file.tsv>');
        if (ratings > users * items) throw new UsageError(`--ratings ${ratings}: a ${users} × ${items} matrix holds at most ${users * items}`);
        fs.writeFileSync(path.resolve(file), syntheticTsv({ users, items, rank: n('rank', 5), density: ratings / (users * items), noise: n('noise', 0.3, 0), seed: n('seed', 1, -(2 ** 31)) }));
        process.stderr.write(`wrote ${path.resolve(file)}: ${users} users × ${items} items, about ${ratings} ratings\n`);
        return EXIT.ok;
      }
      case 'sweep':
      case 'sweep-task':
      case 'sweep-status': {
        const sc = new SweepCommands({
          runsDir: runsDir(p), flag: (k) => one(p, k), positional: p.positional, json,
          defaults: { ...CLI_DEFAULTS, backend: (one(p, 'backend') as BackendName | undefined) ?? CLI_DEFAULTS.backend, blasLibrary: one(p, 'blas'), threads: one(p, 'threads') === undefined ? undefined : Number(one(p, 'threads')), userPresets: workspacePresets() },
          trainerPath, maxMemoryBytes: maxMemory(p), cliPath: __filename, cliVersion: cliVersion(),
          trainOne: (spec, tag) => train(spec, { runsDir: runsDir(p), json: false, quiet: one(p, 'quiet') === 'true', maxMemoryBytes: maxMemory(p), sweep: tag }),
        });
        return p.cmd === 'sweep' ? await sc.sweep() : p.cmd === 'sweep-task' ? await sc.task() : sc.status();
      }
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command "${p.cmd}"${suggest(p.cmd, Object.keys(COMMAND_FLAGS))} (see kernel-rec-lab --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.input;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return e instanceof SpecError || (e as { input?: boolean }).input === true || /not found/.test((e as Error).message) ? EXIT.input : EXIT.failure;
  }
}

/**
 * The embedded main job: a deterministic synthetic dataset (800 users × 500 items, rank 5 + noise, ~8% observed)
 * is written under ./.demo/ and the default model (with its short `demo` schedule), biased MF and the
 * (user+item)/2 baseline are trained on it.
 */
async function demo(p: Parsed): Promise<number> {
  const dir = path.resolve('.demo');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'synthetic-ratings.tsv');
  fs.writeFileSync(file, syntheticTsv({ users: 800, items: 500, rank: 5, density: 0.08, noise: 0.3, seed: 20261122 }));
  process.stderr.write(`demo dataset: ${file} (800 users × 500 items, rank 5 + noise, ~8% observed; regenerated each run)\n`);
  const summaries: RunSummary[] = [];
  let code: number = EXIT.ok;
  const models = [...new Set([DEFAULT_MODEL, 'biased-mf', 'user-item-mean'])];
  for (const model of models) {
    const preset = getModel(model).presets.demo ? 'demo' : undefined;
    const spec = buildRunSpec({ model, preset, train: file, split: 'random:0.1:1234', backend: one(p, 'backend') });
    process.stderr.write(`\n== ${model} ==\n`);
    const r = await train(spec, { runsDir: runsDir(p), json: false });
    summaries.push(r.summary);
    if (r.code !== EXIT.ok) { code = r.code; break; }
  }
  process.stdout.write('\n' + resultsTable(summaries) + '\n');
  return code;
}

if (require.main === module) {
  // exit only once stdout and stderr are flushed: on a pipe they are asynchronous, and process.exit would cut a long
  // --json answer off at 64 KiB
  const exitFlushed = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  main(process.argv.slice(2)).then(
    (code) => exitFlushed(code),
    (e) => {
      process.stderr.write(`internal error: ${(e as Error).stack}\n`);
      exitFlushed(EXIT.failure);
    },
  );
}

export { main };
