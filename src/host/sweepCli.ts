/**
 * The CLI's sweep commands: `sweep` (dry run, the local queue, --slurm, --k8s), `sweep-task` (one run of a manifest,
 * called by a scheduler) and `sweep-status`. Text tables go to stdout, progress to stderr. No vscode import.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { HyperValue, RunSpec, RunSummary } from '../protocol/types';
import type { SpecDefaults } from './runSpecBuilder';
import { RunStore } from './runStore';
import { RunQueue } from './runQueue';
import { loadSweep } from './experimentFile';
import { listSweeps, pendingRuns, sweepCsv, sweepFromStore, sweepRunsByKey, sweepTable, type ExpandedSweep, type SweepTable, type SweepTag } from './sweep';
import { hasSbatch, readManifest, schedulerTag, schedulerView, submitSlurm, taskIndex, writeManifest } from './scheduler';
import { writeK8s } from './k8s';
import { SELECTIONS } from '../core/tasks/format';
import { textTable } from './textTable';

export interface SweepCliContext {
  runsDir: string;
  flag: (k: string) => string | undefined;
  positional: string[];
  json: boolean;
  defaults: SpecDefaults;
  trainerPath: () => string;
  maxMemoryBytes?: number;
  cliPath: string;
  cliVersion: string;
  trainOne: (spec: RunSpec, tag: SweepTag) => Promise<{ code: number; summary: RunSummary }>;
}

const input = (msg: string) => Object.assign(new Error(msg), { input: true });

const pv = (v: HyperValue | undefined) => (v === undefined ? '—' : String(v));

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw input(`--${name} ${v}: give a positive integer`);
  return n;
}

/** The experiments table as text: a row per run, then the groups and the chosen point. */
export function sweepText(t: SweepTable, withRows = true): string {
  const m = t.metric;
  const f = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(m.digits) : '—');
  const out: string[] = [`sweep ${t.name} (${t.id}): ${t.rows.length} run(s) — ${Object.entries(t.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`];
  if (withRows) {
    const head = ['#', 'state', 'model', ...t.params, 'seed', 'fold', `val ${m.label}`, `test ${m.label} (a)`, 'run'];
    out.push(textTable([head, ...t.rows.map((r) => [String(r.index), r.state, r.spec.model, ...t.params.map((p) => pv(r.tag.point[p])), String(r.tag.seed), r.tag.fold ?? '—', f(r.valScore), f(r.summary?.selection.valSelected?.test[m.key]), r.runId ?? '—'])]));
    for (const r of t.rows.filter((x) => x.error && x.state !== 'completed')) out.push(`#${r.index} ${r.state}: ${r.error}`);
  }
  const a = SELECTIONS[0];
  const head = ['', 'model', ...t.params, 'runs', `val ${m.label} mean ± std`, `test ${m.label} ${a.short} mean ± std`];
  const ms = (x: { mean: number; std: number } | undefined) => (x ? `${x.mean.toFixed(m.digits)} ± ${x.std.toFixed(m.digits)}` : '—');
  out.push(`\ngroups (mean ± std over seeds and folds; chosen on validation ${m.label}, ${m.direction} is better, among complete groups):`);
  out.push(textTable([head, ...t.groups.map((g) => [g.chosen ? '*' : '', g.model, ...t.params.map((p) => pv(g.point[p])), `${g.done}/${g.n}`, ms(g.val), ms(g.test[m.key]?.[a.key])])]));
  const chosen = t.groups.find((g) => g.chosen);
  out.push(chosen ? `chosen: ${chosen.model} ${t.params.filter((p) => p in chosen.point).map((p) => `${p}=${pv(chosen.point[p])}`).join(' ') || '(no swept parameters)'} — validation ${m.label} ${ms(chosen.val)}` : 'chosen: none yet (no group has all its runs completed)');
  return out.join('\n');
}

export class SweepCommands {
  constructor(private readonly c: SweepCliContext) {}

  private loadFileOrId(arg: string | undefined, store: RunStore): ExpandedSweep | undefined {
    if (!arg) return undefined;
    if (arg.endsWith('.json') || fs.existsSync(arg)) return loadSweep(path.resolve(arg), this.c.defaults);
    const s = sweepFromStore(store, arg);
    if (!s) throw input(`no sweep "${arg}" in ${store.root} (and no such file); see kernel-rec-lab sweep-status`);
    return s;
  }

  async sweep(): Promise<number> {
    const file = this.c.positional[0];
    if (!file) throw input('sweep needs an experiment file (kernel-rec-lab sweep <file.krl.json>)');
    const sweep = loadSweep(path.resolve(file), this.c.defaults);
    const store = new RunStore(this.c.runsDir);
    const slurm = this.c.flag('slurm') === 'true';
    const k8s = this.c.flag('k8s') === 'true';
    if (slurm && k8s) throw input('--slurm and --k8s: choose one');
    const threads = positiveInt('cpus', this.c.flag('cpus'));
    if (this.c.flag('dry-run') === 'true') {
      const have = sweepRunsByKey(store, sweep.id);
      if (this.c.json) {
        process.stdout.write(JSON.stringify({ id: sweep.id, name: sweep.name, params: sweep.params, selectMetric: sweep.selectMetric ?? null, runs: sweep.runs.map((r) => ({ ...r.tag, state: have.get(r.tag.key)?.record.status ?? 'pending', spec: r.spec })) }) + '\n');
      } else {
        process.stdout.write(`sweep ${sweep.name} (${sweep.id}) from ${sweep.file}: ${sweep.runs.length} run(s)\n`);
        process.stdout.write(textTable([['#', 'key', 'model', ...sweep.params, 'seed', 'fold', 'split', 'state'], ...sweep.runs.map((r) => [String(r.tag.index), r.tag.key, r.spec.model, ...sweep.params.map((p) => pv(r.tag.point[p])), String(r.tag.seed), r.tag.fold ?? '—', r.spec.split, have.get(r.tag.key)?.record.status ?? 'pending'])]) + '\n');
      }
      return 0;
    }
    // what Slurm still holds of earlier submissions is not submitted again
    const todo = pendingRuns(sweep, store, hasSbatch() ? schedulerView(this.c.runsDir, sweep.id) : undefined);
    const skipped = sweep.runs.length - todo.length;
    process.stderr.write(`sweep ${sweep.name}: ${sweep.runs.length} run(s), ${skipped} already completed or running, ${todo.length} to run\n`);
    if (!todo.length) {
      process.stdout.write(sweepText(sweepTable(sweep, store, slurm ? schedulerView(this.c.runsDir, sweep.id) : undefined)) + '\n');
      return 0;
    }
    if (slurm) {
      if (!hasSbatch()) throw input('sbatch is not on the PATH: run --slurm on a Slurm login node');
      const runs = threads ? todo.map((r) => ({ ...r, spec: { ...r.spec, threads } })) : todo;
      const { dir, manifest } = writeManifest(this.c.runsDir, { id: sweep.id, name: sweep.name, file: sweep.file }, runs, 'slurm');
      const sub = submitSlurm(dir, manifest, runs, sweep.id, this.c.runsDir, {
        partition: this.c.flag('partition'), time: this.c.flag('time'), cpus: threads, gpus: positiveInt('gpus', this.c.flag('gpus')), mem: this.c.flag('mem'), account: this.c.flag('account'),
        arrayLimit: positiveInt('array-limit', this.c.flag('array-limit')), node: this.c.flag('node') ?? process.execPath, cli: this.c.cliPath,
      });
      process.stderr.write(`submitted ${runs.length} array task(s) as Slurm job ${sub.jobId}; script and logs in ${dir}\nfollow it with: kernel-rec-lab sweep-status ${path.relative(process.cwd(), sweep.file) || sweep.file}${this.c.flag('runs-dir') ? ` --runs-dir ${this.c.runsDir}` : ''}\n`);
      process.stdout.write(this.c.json ? JSON.stringify({ jobId: sub.jobId, tasks: runs.length, dir }) + '\n' : `${sub.jobId}\n`);
      return 0;
    }
    if (k8s) {
      const image = this.c.flag('image');
      if (!image) throw input('--k8s needs --image <container image with Node and kernel-rec-lab>');
      const mount = path.resolve(this.c.flag('mount') ?? process.cwd());
      const outside = [this.c.runsDir, ...todo.flatMap((r) => [r.spec.dataset.train, r.spec.dataset.test ?? ''])].filter((p) => p && path.relative(mount, p).startsWith('..'));
      if (outside.length) throw input(`--k8s: the pods see only the volume mounted at ${mount}; these paths lie outside it: ${[...new Set(outside)].slice(0, 4).join(', ')} (set --mount to a folder holding the datasets and the runs folder)`);
      const runs = threads ? todo.map((r) => ({ ...r, spec: { ...r.spec, threads } })) : todo;
      const { dir, manifest } = writeManifest(this.c.runsDir, { id: sweep.id, name: sweep.name, file: sweep.file }, runs, 'k8s');
      const out = this.c.flag('out') ? path.resolve(this.c.flag('out') as string) : undefined;
      const { file: jobFile } = writeK8s(dir, manifest, runs, sweep.id, this.c.runsDir, {
        image, pvc: this.c.flag('pvc') ?? 'krl-workspace', mountPath: mount, parallelism: positiveInt('parallelism', this.c.flag('parallelism')), cpus: threads, gpus: positiveInt('gpus', this.c.flag('gpus')), mem: this.c.flag('mem'),
        node: this.c.flag('node') ?? 'node', cli: this.c.flag('cli') ?? '/opt/kernel-rec-lab/dist/cli.js',
      }, out);
      process.stderr.write(`wrote an Indexed Job for ${runs.length} run(s): ${jobFile} (not applied: kubectl apply -f ${jobFile})\n`);
      process.stdout.write(`${jobFile}\n`);
      return 0;
    }
    return this.local(sweep, todo, store);
  }

  /** The pending runs through the run queue, --max-concurrent at a time; Ctrl-C cancels them all. */
  private async local(sweep: ExpandedSweep, todo: ExpandedSweep['runs'], store: RunStore): Promise<number> {
    const max = positiveInt('max-concurrent', this.c.flag('max-concurrent')) ?? 1;
    const queue = new RunQueue(store, () => ({ trainerPath: this.c.trainerPath(), killAfterMs: 1500, maxMemoryBytes: this.c.maxMemoryBytes }), () => max, { cli: this.c.cliVersion });
    let done = 0;
    let failed = 0;
    const quiet = this.c.flag('quiet') === 'true';
    const started = Date.now();
    let inputError: string | undefined;
    queue.on('finished', (id, r) => {
      done++;
      if (r.summary.status !== 'completed') failed++;
      if (!quiet) process.stderr.write(`[${done}/${todo.length}] ${id} ${r.summary.status}${r.summary.error ? `: ${r.summary.error}` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
      // bad input (a malformed dataset, a refused setting) fails every point alike: stop the sweep there
      if (r.errorKind === 'input' && !inputError) {
        inputError = r.summary.error ?? 'bad input';
        queue.cancelAll();
      }
    });
    let signals = 0;
    const onSignal = () => {
      signals++;
      process.stderr.write(signals === 1 ? '\ncancelling the sweep (its queued and running runs)…\n' : '');
      queue.cancelAll();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const jobs = todo.map((r) => queue.submit(r.spec, r.datasetName, r.tag).done);
      await Promise.all(jobs);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (inputError) {
      process.stderr.write(`error: ${inputError}\nthe sweep stopped: fix the input and run it again (completed points are kept)\n`);
      return 2;
    }
    process.stdout.write(sweepText(sweepTable(sweep, store)) + '\n');
    return signals ? 130 : failed ? 1 : 0;
  }

  /** One run of a manifest (a Slurm array task or a Kubernetes completion index). */
  async task(): Promise<number> {
    const file = this.c.positional[0];
    if (!file) throw input('sweep-task needs the manifest file');
    const m = readManifest(path.resolve(file));
    const i = taskIndex(this.c.flag('index'));
    const run = m.runs[i];
    if (!run) throw input(`${file}: no run ${i} (the manifest has ${m.runs.length})`);
    const store = new RunStore(this.c.runsDir);
    const prev = sweepRunsByKey(store, m.sweep.id).get(run.tag.key);
    if (prev?.record.status === 'completed') {
      process.stderr.write(`run ${i} of sweep ${m.sweep.name} (key ${run.tag.key}) is already completed: ${prev.record.id}\n`);
      return 0;
    }
    const threads = this.c.flag('threads') ? Number(this.c.flag('threads')) : run.spec.threads;
    const spec: RunSpec = { ...run.spec, ...(threads ? { threads } : {}), ...(this.c.defaults.blasLibrary ? { blasLibrary: this.c.defaults.blasLibrary } : {}) };
    const tag: SweepTag = { ...run.tag, ...(schedulerTag(i) ? { scheduler: schedulerTag(i) } : {}) };
    process.stderr.write(`sweep ${m.sweep.name}: run ${i + 1}/${m.runs.length} (key ${run.tag.key}) ${spec.model} ${Object.entries(run.tag.point).map(([k, v]) => `${k}=${v}`).join(' ')} seed ${run.tag.seed}${run.tag.fold ? ` fold ${run.tag.fold}` : ''}\n`);
    const { code, summary } = await this.c.trainOne(spec, tag);
    if (this.c.json) process.stdout.write(JSON.stringify({ index: i, key: run.tag.key, status: summary.status, runId: summary.runId }) + '\n');
    return code;
  }

  status(): number {
    const store = new RunStore(this.c.runsDir);
    const sweep = this.loadFileOrId(this.c.positional[0], store);
    if (!sweep) {
      const all = listSweeps(store);
      if (this.c.json) process.stdout.write(JSON.stringify(all) + '\n');
      else process.stdout.write(all.length ? textTable([['sweep', 'name', 'runs', 'latest'], ...all.map((s) => [s.id, s.name, String(s.runs), s.latest.replace('T', ' ').slice(0, 19)])]) + '\n' : `no sweeps in ${store.root}\n`);
      return 0;
    }
    const t = sweepTable(sweep, store, schedulerView(this.c.runsDir, sweep.id));
    const csv = this.c.flag('csv');
    if (csv) {
      fs.writeFileSync(path.resolve(csv), sweepCsv(t));
      process.stderr.write(`wrote ${path.resolve(csv)}\n`);
    }
    if (this.c.json) {
      process.stdout.write(JSON.stringify({
        id: t.id, name: t.name, metric: t.metric.key, direction: t.metric.direction, params: t.params, counts: t.counts, chosen: t.chosen ?? null,
        rows: t.rows.map((r) => ({ index: r.index, key: r.tag.key, group: r.tag.group, point: r.tag.point, seed: r.tag.seed, fold: r.tag.fold ?? null, state: r.state, error: r.error ?? null, runId: r.runId ?? null, val: r.valScore ?? null, test: r.summary?.selection.valSelected?.test ?? null, scheduler: r.tag.scheduler ?? null })),
        groups: t.groups,
      }) + '\n');
    } else process.stdout.write(sweepText(t, this.c.flag('groups') !== 'true') + '\n');
    return 0;
  }
}

