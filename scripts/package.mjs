// `npm run package`: platform .vsix files. Each holds the bundles, media, the README's pictures and, for its own
// platform only, the native pieces the bundles load at run time: koffi (OpenBLAS calls) and the `webgpu` package's
// Dawn binary (the WebGPU backend, so an installed extension can use a GPU). A target's native packages must be in
// node_modules (npm installs the current platform's; for others: npm install --no-save --force
// @koromix/koffi-<target>); targets without them are skipped with a message.
//   node scripts/package.mjs [--target linux-x64 ...] [--ls]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ALL = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const targets = args.includes('--target') ? args.flatMap((a, i) => (a === '--target' ? [args[i + 1]] : [])) : [`${process.platform}-${process.arch}`].filter((t) => ALL.includes(t));
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

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const t of targets) {
    if (!fs.existsSync(path.join(root, 'node_modules', '@koromix', `koffi-${t}`)) || !fs.existsSync(path.join(root, 'node_modules', 'webgpu', 'dist', dawnDir(t)))) {
      process.stderr.write(`skipping ${t}: its native packages are not installed (npm install --no-save --force @koromix/koffi-${t})\n`);
      continue;
    }
    const r = args.includes('--ls') ? vsce('ls', t) : vsce('package', t, ['--out', path.join(root, `kernel-rec-lab-${t}.vsix`)]);
    process.stdout.write(r.stdout);
    if (r.status !== 0) { failed++; process.stderr.write(r.stderr); }
  }
  process.exit(failed ? 1 : 0);
}
