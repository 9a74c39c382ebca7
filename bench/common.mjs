// Shared helpers for the benchmark suites: machine description, BENCHMARKS.md section writer, medians.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const out = (p) => path.join(root, 'out', p);

/** The value after the first `name` in a suite's arguments, or dflt. */
export const argOf = (args, name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);

/** The values after every `name` (repeatable options such as --grid). */
export const argAll = (args, name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));

/** The MovieLens-100K folder: --data, or ../shared/datasets/ml-100k. */
export const ml100kDir = (args) => path.resolve(argOf(args, '--data', path.join(root, '..', 'shared', 'datasets', 'ml-100k')));

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.versions.node}${blasText()}`;
}

/** The BLAS library and, for OpenBLAS, the kernel family it runs (the same for the CLI runs it spawns, which inherit
 * this environment) — and whether OPENBLAS_CORETYPE forced it. */
function blasText() {
  try {
    const { loadBlas } = require(out('src/core/linalg/blas.js'));
    const b = loadBlas().blas;
    if (!b) return '';
    const forced = process.env.OPENBLAS_CORETYPE ? `, forced by OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE} in the environment` : '';
    return `, ${b.library}${b.core ? ` with its ${b.core} kernels${forced}` : ''}`;
  } catch {
    return '';
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** HEAD's short hash, with "+changes" when tracked files other than BENCHMARKS.md differ from it (so a figure
 * measured on uncommitted code says so). */
export function gitRev() {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no -- . ':(exclude)BENCHMARKS.md'", { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

/** Replaces (or appends) the section <!-- bench:name --> … <!-- /bench:name --> of BENCHMARKS.md. */
export function writeSection(name, title, body, command) {
  const file = path.join(root, 'BENCHMARKS.md');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nEvery figure here is produced by `npm run bench -- <suite>` (bench/); rerun it to check. Speed is measured here, never in unit tests.\n';
  const date = new Date().toISOString().slice(0, 10);
  const section = `<!-- bench:${name} -->\n## ${title}\n\nCommand: \`${command}\` · date ${date} · commit ${gitRev()}\n\nMachine: ${machine()}\n\n${body.trim()}\n<!-- /bench:${name} -->`;
  const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, text);
}

/**
 * Section <!-- bench:name --> of BENCHMARKS.md: its text ('' when absent) and its table rows as trimmed cell arrays
 * (header row first, the |---| separator left out), so a suite can keep rows it does not rerun.
 */
export function readSection(name) {
  const file = path.join(root, 'BENCHMARKS.md');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const body = new RegExp(`<!-- bench:${name} -->([\\s\\S]*?)<!-- /bench:${name} -->`).exec(text)?.[1] ?? '';
  const rows = body.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim())).filter((c) => !c[0]?.startsWith('---'));
  return { body, rows };
}

/**
 * The run spec the accuracy suites share: MovieLens-100K given split (uK.base / uK.test), a 5% validation split
 * carved from the training file with seed 1234, cpu backend. `tune` must use the same split as `accuracy`'s (a).
 */
export function u1Spec(model, preset, train, overrides = {}) {
  return { model, preset, overrides, dataset: { train }, split: 'given', valFraction: 0.05, seed: 1234, backend: 'cpu' };
}

export function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/**
 * Runs a shell command under GNU time: wall and CPU seconds (user + sys, the command and every child it waited for)
 * and peak RSS (bytes, the largest single process), with its exit code and output.
 */
export function timed(cmd, cwd = root, env = process.env) {
  const file = path.join(os.tmpdir(), `krl-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', file, 'bash', '-c', cmd], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`cannot run GNU time (/usr/bin/time; Debian: apt-get install -y time): ${r.error.message}`);
  const [wall, user, sys, kib] = fs.readFileSync(file, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  fs.rmSync(file, { force: true });
  return { code: r.status, wall, cpu: user + sys, peak: kib * 1024, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `node dist/cli.js train <args> --json` under GNU time (./timed): its wall and CPU seconds, peak RSS and the run
 * summary the CLI prints as its last JSON line; throws with the CLI's stderr when it fails.
 */
export function cliTrain(args, runsDir) {
  const quoted = [...args, '--runs-dir', runsDir].map((a) => `'${String(a).replace(/'/g, "'\\''")}'`).join(' ');
  const r = timed(`node dist/cli.js train ${quoted} --json --quiet --no-progress`);
  const json = r.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  if (r.code !== 0 || !json) throw new Error(`node dist/cli.js train ${args.join(' ')} exited ${r.code}\n${r.stderr.slice(-2000)}`);
  return { ...r, summary: JSON.parse(json) };
}

/**
 * Runs a PyTorch reference script (bench/<script>, args) with a python3 that can import torch (Debian's
 * python3-torch lives under /usr/bin) on all cores (KRL_THREADS); returns the JSON object it prints last, or
 * { error } when PyTorch is missing or the script fails.
 */
export function runTorchScript(script, args) {
  const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (!py) return { error: 'PyTorch not found (Debian: apt-get install python3-torch)' };
  const r = spawnSync(py, [path.join(root, 'bench', script), ...args.map(String)], { encoding: 'utf8', env: { ...process.env, KRL_THREADS: String(os.cpus().length) } });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}
