// The portable GPU bundle (npm run gpu-bundle) and the check it carries (scripts/gpu-check.sh): built from this
// checkout, at most 64 MiB, and the check passes end to end on whatever WebGPU adapter this machine has — on CI the
// software Vulkan (lavapipe), in --quick mode — so the bundle cannot rot between GPU sessions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

async function skipReason(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the GPU bundle is built for linux-x64';
  if (spawnSync('bash', ['-c', 'command -v xz'], { encoding: 'utf8' }).status !== 0) return 'xz is not installed (Debian: xz-utils)';
  try {
    const dawn = require('webgpu') as { create: (o: string[]) => { requestAdapter(): Promise<unknown> } };
    if (!(await dawn.create([]).requestAdapter())) return 'no WebGPU adapter here (needs a Vulkan driver: Debian bookworm-backports mesa-vulkan-drivers ≥ 25)';
  } catch (e) {
    return `the webgpu package cannot load: ${(e as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

test('npm run gpu-bundle builds ≤ 64 MiB and scripts/gpu-check.sh --quick passes with it on this machine’s WebGPU adapter', { timeout: 900_000 }, async (t) => {
  const why = await skipReason();
  if (why) {
    t.skip(why);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-gpu-test-'));
  try {
    const bundle = path.join(dir, 'bundle');
    const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'gpu-bundle.mjs'), '--out', bundle], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
    assert.equal(b.status, 0, b.stderr);
    const files = fs.readdirSync(bundle);
    for (const f of ['node.xz', 'app.tar.gz', 'gpu-check.sh', 'MANIFEST.txt']) assert.ok(files.includes(f), `${f} in the bundle`);
    const bytes = files.reduce((s, f) => s + fs.statSync(path.join(bundle, f)).size, 0);
    assert.ok(bytes <= 64 * 2 ** 20, `the bundle is ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    const out = path.join(dir, 'out');
    // the check runs on the bundle alone: no repository, no node_modules, another working folder
    const c = spawnSync('bash', [path.join(bundle, 'gpu-check.sh'), bundle, out, '--quick', '--budget', '400'], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 600_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    assert.equal(c.status, 0, `${c.stdout}\n${c.stderr}`);
    const md = fs.readFileSync(path.join(out, 'gpu-check.md'), 'utf8');
    const rows = md.split('\n').filter((l) => l.startsWith('| GLocal-K'));
    assert.equal(rows.length, 3, md);
    assert.ok(rows.every((r) => /\| webgpu: /.test(r)), `every row names the webgpu adapter:\n${md}`);
    assert.ok(rows.every((r) => /[\d.]+ s per evaluation/.test(r)), md);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'gpu-check.json'), 'utf8'));
    assert.equal(json.status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
