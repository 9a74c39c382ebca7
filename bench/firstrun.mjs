// The first run on a fresh checkout: `npm ci && npm run demo` in a fresh clone of HEAD with an empty KRL_CACHE_DIR
// (issue "First run…": ≤ 3 minutes on 2 cores). Wall and CPU seconds and peak RSS of each step from GNU time.
// OpenBLAS is not removed here (that would change the machine): the demo's ensure-blas step reports what it found.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, writeSection, table, timed } from './common.mjs';

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-firstrun-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-firstrun-cache-'));
  spawnSync('git', ['clone', '-q', root, dir]);
  const env = { ...process.env, KRL_CACHE_DIR: cache };
  const ci = timed('npm ci --no-audit --no-fund', dir, env);
  const demo = timed('npm run demo', dir, env);
  const blas = /installing OpenBLAS/.test(demo.stderr) ? 'installed by the demo' : /OpenBLAS is not installed/.test(demo.stderr) ? 'missing (slow path)' : 'already installed';
  const rmse = /glocal-k\s+([\d.]+)/.exec(demo.stdout)?.[1] ?? '—';
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
  if (ci.code !== 0 || demo.code !== 0) throw new Error(`npm ci exited ${ci.code}, npm run demo exited ${demo.code}`);
  const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  writeSection('firstrun', 'First run: npm ci && npm run demo in a fresh clone, empty cache', table(['step', 'wall s', 'CPU s', 'peak RSS'], [
    ['npm ci', ci.wall.toFixed(0), ci.cpu.toFixed(0), gib(ci.peak)],
    ['npm run demo', demo.wall.toFixed(0), demo.cpu.toFixed(0), gib(demo.peak)],
    ['together', (ci.wall + demo.wall).toFixed(0), (ci.cpu + demo.cpu).toFixed(0), '—'],
  ]) + `\n\nA fresh \`git clone\` of HEAD, \`KRL_CACHE_DIR\` an empty folder, cpu backend; OpenBLAS: ${blas}. The demo trains GLocal-K (short schedule; val-selected test RMSE ${rmse}), biased MF and the (user + item)/2 baseline on its generated 800 × 500 dataset. Target: ≤ 3 minutes together. (CPU seconds and peak RSS from GNU time: the largest process of the step.)`, 'npm run bench -- firstrun');
  process.stdout.write(`firstrun npm_ci_s=${ci.wall.toFixed(0)} demo_s=${demo.wall.toFixed(0)} blas="${blas}"\n`);
}
