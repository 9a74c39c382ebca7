/**
 * Running a sweep's runs on a cluster the researcher already has: a Slurm job array (one task per run, submitted with
 * sbatch) or a Kubernetes Indexed Job (a manifest written to a file, not applied). No daemon and no scheduler of our
 * own: each task calls `kernel-rec-lab sweep-task <manifest> --index i`, which trains one run of the manifest into the
 * shared runs folder (skipping it when that key is already completed). State comes from the scheduler (squeue,
 * sacct where accounting is on) and from the run folders. No vscode import.
 *
 *   <runs>/.sweeps/<sweep id>/<stamp>-<slurm|k8s>/
 *     manifest.json     the runs this submission covers (specs with absolute paths, tags), index = array task id
 *     job.sbatch        (Slurm) the array script;  job.yaml (Kubernetes) the Indexed Job
 *     submission.json   scheduler, job id, submitted at, the run keys by task index
 *     logs/             (Slurm) one output file per array task
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { SweepRun, SweepTag } from './sweep';
import { writeFileAtomic } from './runStore';

export interface Manifest {
  version: 1;
  sweep: { id: string; name: string; file?: string };
  runsDir: string;
  runs: SweepRun[];
}

export interface Submission {
  scheduler: 'slurm' | 'k8s';
  jobId?: string;
  submittedAt: string;
  dir: string;
  keys: string[];
}

export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpus?: number;
  gpus?: number;
  mem?: string;
  arrayLimit?: number;
  account?: string;
  /** Node binary on the compute nodes (default: this one, which must be on the shared file system). */
  node: string;
  /** The CLI bundle (dist/cli.js). */
  cli: string;
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A new submission folder with its manifest. */
export function writeManifest(runsDir: string, sweep: Manifest['sweep'], runs: SweepRun[], kind: 'slurm' | 'k8s'): { dir: string; manifest: string } {
  const root = path.join(runsDir, '.sweeps', sweep.id);
  fs.mkdirSync(root, { recursive: true });
  let dir = path.join(root, `${stamp()}-${kind}`);
  for (let n = 2; fs.existsSync(dir); n++) dir = path.join(root, `${stamp()}-${kind}-${n}`);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const manifest = path.join(dir, 'manifest.json');
  const m: Manifest = { version: 1, sweep, runsDir, runs };
  writeFileAtomic(manifest, JSON.stringify(m, null, 1));
  return { dir, manifest };
}

export function readManifest(file: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw Object.assign(new Error(`${file}: cannot read the sweep manifest (${(e as Error).message})`), { input: true });
  }
  if (m?.version !== 1 || !Array.isArray(m.runs) || !m.sweep?.id) throw Object.assign(new Error(`${file}: not a sweep manifest`), { input: true });
  return m;
}

/** Shell-quotes one word for bash. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The sbatch script of a job array over a manifest of n runs. */
export function slurmScript(o: SlurmOptions & { name: string; manifest: string; runsDir: string; logs: string; n: number }): string {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=${shq(`krl-${o.name}`.slice(0, 60))}`, `#SBATCH --array=0-${o.n - 1}${o.arrayLimit ? `%${o.arrayLimit}` : ''}`, `#SBATCH --output=${shq(path.join(o.logs, '%A_%a.out'))}`];
  if (o.partition) lines.push(`#SBATCH --partition=${shq(o.partition)}`);
  if (o.time) lines.push(`#SBATCH --time=${shq(o.time)}`);
  if (o.cpus) lines.push(`#SBATCH --cpus-per-task=${o.cpus}`);
  if (o.gpus) lines.push(`#SBATCH --gres=gpu:${o.gpus}`);
  if (o.mem) lines.push(`#SBATCH --mem=${shq(o.mem)}`);
  if (o.account) lines.push(`#SBATCH --account=${shq(o.account)}`);
  lines.push(
    '# written by kernel-rec-lab sweep --slurm: one array task per run of manifest.json (task id = run index)',
    'set -u',
    `exec ${shq(o.node)} ${shq(o.cli)} sweep-task ${shq(o.manifest)} --index "$SLURM_ARRAY_TASK_ID" --runs-dir ${shq(o.runsDir)}${o.cpus ? ` --threads ${o.cpus}` : ''}`,
    '',
  );
  return lines.join('\n');
}

/** Runs a Slurm command; a missing command or a failure is an Error naming it and its stderr. */
function slurmCmd(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is not on the PATH: run this on a Slurm login node (or use --k8s / the local queue)`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

export function hasSbatch(): boolean {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  return dirs.some((d) => d && fs.existsSync(path.join(d, 'sbatch')));
}

/** Writes the script and submits it; returns the submission (job id from sbatch --parsable). */
export function submitSlurm(dir: string, manifest: string, runs: SweepRun[], name: string, runsDir: string, o: SlurmOptions): Submission {
  const script = path.join(dir, 'job.sbatch');
  fs.writeFileSync(script, slurmScript({ ...o, name, manifest, runsDir, logs: path.join(dir, 'logs'), n: runs.length }), { mode: 0o755 });
  const out = slurmCmd('sbatch', ['--parsable', script]).trim();
  const jobId = out.split(';')[0];
  if (!/^\d+$/.test(jobId)) throw new Error(`sbatch answered ${JSON.stringify(out)}, not a job id`);
  const sub: Submission = { scheduler: 'slurm', jobId, submittedAt: new Date().toISOString(), dir, keys: runs.map((r) => r.tag.key) };
  writeFileAtomic(path.join(dir, 'submission.json'), JSON.stringify(sub, null, 1));
  return sub;
}

/** Every submission of a sweep (newest last). */
export function submissions(runsDir: string, id: string): Submission[] {
  const root = path.join(runsDir, '.sweeps', id);
  let names: string[] = [];
  try {
    names = fs.readdirSync(root).sort();
  } catch {
    return [];
  }
  const out: Submission[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(fs.readFileSync(path.join(root, n, 'submission.json'), 'utf8')) as Submission);
    } catch {
      /* a submission that failed before sbatch answered */
    }
  }
  return out;
}

/** What the scheduler says of a sweep's run: queued, running, or gone from the queue without a finished run folder. */
export type SchedulerState = 'slurm-pending' | 'slurm-running' | 'slurm-lost';

/** Parses `squeue -h -r -o '%i|%T'` output: "<job>_<task>" → state. */
function parseQueue(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [id, st] = line.trim().split('|');
    if (id && st) m.set(id, st);
  }
  return m;
}

/**
 * Each key's state from the latest submission that holds it: queued or running while squeue lists its array task,
 * `slurm-lost` once squeue no longer does (the caller trusts a finished run folder over that). `queue` undefined:
 * squeue could not be asked, nothing is said.
 */
function keyStates(subs: Submission[], queue: Map<string, string> | undefined): Map<string, SchedulerState> {
  const out = new Map<string, SchedulerState>();
  if (!queue) return out;
  for (const s of subs) {
    s.keys.forEach((key, i) => {
      const st = queue.get(`${s.jobId}_${i}`);
      out.set(key, st === 'PENDING' || st === 'CONFIGURING' || st === 'REQUEUED' || st === 'SUSPENDED' ? 'slurm-pending' : st === 'RUNNING' || st === 'COMPLETING' ? 'slurm-running' : 'slurm-lost');
    });
  }
  return out;
}

/** squeue's answer for these jobs; an "Invalid job id" answer means they have all left the queue. */
function queueFromResult(err: (Error & { stderr?: string }) | null, stdout: string): Map<string, string> | undefined {
  if (!err) return parseQueue(stdout);
  return /invalid job id/i.test(`${err.stderr ?? ''} ${err.message}`) ? new Map() : undefined;
}

/** A sweep's Slurm submissions that got a job id, oldest first. */
export function slurmSubmissions(runsDir: string, id: string): Submission[] {
  return submissions(runsDir, id).filter((s) => s.scheduler === 'slurm' && s.jobId);
}

/** squeue's question: one line per array task of these jobs, "<job>_<task>|<state>". */
const squeueArgs = (subs: Submission[]) => ['-h', '-r', '-j', subs.map((s) => s.jobId).join(','), '-o', '%i|%T'];

/** The scheduler's view of a sweep's keys (CLI: synchronous). */
export function schedulerView(runsDir: string, id: string): Map<string, SchedulerState> {
  const subs = slurmSubmissions(runsDir, id);
  if (!subs.length || !hasSbatch()) return new Map();
  let queue: Map<string, string> | undefined;
  try {
    queue = queueFromResult(null, execFileSync('squeue', squeueArgs(subs), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }));
  } catch (e) {
    queue = queueFromResult(e as Error & { stderr?: string }, '');
  }
  return keyStates(subs, queue);
}

/**
 * The same view without blocking (the extension host must not wait on a slow slurmctld), with a time limit; when
 * squeue cannot be asked the view is empty (the run folders still say what finished).
 */
export function schedulerViewAsync(runsDir: string, id: string, timeoutMs = 10_000): Promise<Map<string, SchedulerState>> {
  const subs = slurmSubmissions(runsDir, id);
  if (!subs.length || !hasSbatch()) return Promise.resolve(new Map());
  return new Promise((resolve) => {
    execFile('squeue', squeueArgs(subs), { encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve(keyStates(subs, queueFromResult(err ? Object.assign(err, { stderr }) : null, stdout)));
    });
  });
}

/** Where a submission keeps the log of the array task that ran a key (for messages). */
export function taskLogOf(runsDir: string, id: string, key: string): string | undefined {
  const s = slurmSubmissions(runsDir, id).filter((x) => x.keys.includes(key)).at(-1);
  return s ? path.join(s.dir, 'logs', `${s.jobId}_${s.keys.indexOf(key)}.out`) : undefined;
}

/** Cancels a whole submission's array job, or one task of it. */
export function scancel(jobId: string, task?: number): void {
  slurmCmd('scancel', [task === undefined ? jobId : `${jobId}_${task}`]);
}

/** The index of this task: --index, else the scheduler's variable. */
export function taskIndex(flag: string | undefined): number {
  const v = flag ?? process.env.SLURM_ARRAY_TASK_ID ?? process.env.JOB_COMPLETION_INDEX;
  const i = Number(v);
  if (v === undefined || !Number.isInteger(i) || i < 0) throw Object.assign(new Error(`sweep-task needs --index <i> (or SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX); got ${JSON.stringify(v)}`), { input: true });
  return i;
}

/** The scheduler tag of this process (Slurm array task or Kubernetes completion index). */
export function schedulerTag(index: number): SweepTag['scheduler'] {
  if (process.env.SLURM_ARRAY_JOB_ID) return { kind: 'slurm', job: `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? index}`, task: index };
  if (process.env.JOB_COMPLETION_INDEX !== undefined) return { kind: 'k8s', task: index, job: process.env.HOSTNAME };
  return undefined;
}
