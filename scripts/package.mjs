// `npm run package`: platform .vsix files. Each holds the bundles, media, the README's pictures and, for its own
// platform only, the native pieces the bundles load at run time: koffi (OpenBLAS calls) and the `webgpu` package's
// Dawn binary (the WebGPU backend, so an installed extension can use a GPU). npm installs only this platform's koffi
// binary; another target's is fetched from the npm registry (npm pack @koromix/koffi-<target>) into node_modules.
// The webgpu package ships Dawn for every target.
//   node scripts/package.mjs [--target linux-x64 ... | --all] [--ls]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ALL = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const targets = args.includes('--all') ? ALL : args.includes('--target') ? args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : [])) : [`${process.platform}-${process.arch}`].filter((t) => ALL.includes(t));
const dawnDir = (t) => (t.startsWith('darwin') ? 'darwin-universal' : t);

/** The ignore file for one target: everything out, then what the extension needs for that platform. */
export function ignoreFor(target) {
  return [
    '**',
    '!package.json', '!README.md', '!LICENSE', '!BENCHMARKS.md',
    '!dist/extension.js', '!dist/trainer.js', '!dist/cli.js', '!dist/webview.js', '!dist/webview.css', '!dist/experiment.schema.json',
    '!media/**',
    '!docs/webview/*.png', '!docs/vscode/*.png',
    '!node_modules/h5wasm/**',
    '!node_modules/koffi/**', `!node_modules/@koromix/koffi-${target}/**`,
    '!node_modules/webgpu/package.json', '!node_modules/webgpu/index.js', '!node_modules/webgpu/LICENSE.md', `!node_modules/webgpu/dist/${dawnDir(target)}/**`, '!node_modules/webgpu/node_modules/**',
  ].join('\n') + '\n';
}

function vsce(cmd, target, extra = []) {
  const ignore = path.join(os.tmpdir(), `krl-vscodeignore-${target}`);
  fs.writeFileSync(ignore, ignoreFor(target));
  const opts = cmd === 'ls' ? ['--ignoreFile', ignore] : ['--target', target, '--ignoreFile', ignore, '--allow-missing-repository', '--no-rewrite-relative-links'];
  return spawnSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), cmd, ...opts, ...extra], { cwd: root, encoding: 'utf8' });
}

/** Another platform's koffi binary package, from the npm registry, unpacked into node_modules/@koromix. */
function fetchKoffi(t) {
  const dest = path.join(root, 'node_modules', '@koromix', `koffi-${t}`);
  if (fs.existsSync(dest)) return true;
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-koffi-'));
  const pack = spawnSync('npm', ['pack', `@koromix/koffi-${t}@${version}`, '--silent'], { cwd: tmp, encoding: 'utf8' });
  const tgz = pack.stdout.trim().split('\n').at(-1);
  if (pack.status !== 0 || !tgz) return false;
  fs.mkdirSync(dest, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', path.join(tmp, tgz), '-C', dest, '--strip-components=1']);
  fs.rmSync(tmp, { recursive: true, force: true });
  return untar.status === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const t of targets) {
    if (!fetchKoffi(t) || !fs.existsSync(path.join(root, 'node_modules', 'webgpu', 'dist', dawnDir(t)))) {
      process.stderr.write(`skipping ${t}: its native packages (koffi, Dawn) could not be found or fetched\n`);
      failed++;
      continue;
    }
    const r = args.includes('--ls') ? vsce('ls', t) : vsce('package', t, ['--out', path.join(root, `kernel-rec-lab-${t}.vsix`)]);
    process.stdout.write(r.stdout);
    if (r.status !== 0) { failed++; process.stderr.write(r.stderr); }
  }
  process.exit(failed ? 1 : 0);
}
