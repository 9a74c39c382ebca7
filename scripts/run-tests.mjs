// `npm test`: first everything the tests need (scripts/ensure-test-deps.sh: Debian packages, Node 24 and the VS Code
// server — before the first test that needs them), then the unit tests (node's test runner over the compiled tests),
// the webview tests and the integration tests in a real VS Code (scripts/integration.mjs). Ends with one line CI
// reads: "N passed, N failed". Screenshots go to test-results/screenshots (ignored by git: `npm test` leaves the tree
// clean); `npm run screenshots` (--docs) refreshes the ones in docs/.
//   node scripts/run-tests.mjs [--unit] [--webview] [--integration] [--docs]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const picked = ['unit', 'webview', 'integration'].filter((p) => args.has(`--${p}`));
const phases = new Set(picked.length ? picked : ['unit', 'webview', 'integration']);
// screenshots: an ignored folder during tests; docs/ (the README's pictures) only with --docs
const shots = args.has('--docs') ? path.join(root, 'docs') : path.join(root, 'test-results', 'screenshots');

// what the webview and integration tests need, installed before any test runs; a failure is one clear line
if (phases.has('webview') || phases.has('integration')) {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'ensure-test-deps.sh')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    const line = (r.stderr ?? '').trim().split('\n').filter((l) => l.startsWith('[ensure-test-deps]')).at(-1) ?? `scripts/ensure-test-deps.sh exited with ${r.status}`;
    process.stdout.write(`${line}\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

function run(cmd, argv, onLine) {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.on('data', (d) => {
      process.stdout.write(d);
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
    });
    p.on('exit', (code) => { if (buf) onLine(buf); resolve(code ?? 1); });
  });
}

let passed = 0;
let failed = 0;
let codes = 0;
if (phases.has('unit')) {
  const tap = path.join(os.tmpdir(), `krl-unit-${process.pid}.tap`);
  const files = fs.readdirSync(path.join(root, 'out', 'test', 'unit')).filter((f) => f.endsWith('.test.js')).map((f) => path.join('out', 'test', 'unit', f));
  const code = await run(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], () => undefined);
  const text = fs.readFileSync(tap, 'utf8');
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  const c = Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  fs.rmSync(tap, { force: true });
  process.stdout.write(`unit: ${p} passed, ${f + c} failed\n`);
  passed += p;
  failed += f + c;
  if (code !== 0 && f + c === 0) failed++;
  codes |= code;
}
for (const [phase, script] of [['webview', path.join(root, 'test', 'webview', 'run.mjs')], ['integration', path.join(root, 'scripts', 'integration.mjs')]]) {
  if (!phases.has(phase)) continue;
  let p = 0;
  let f = 0;
  const code = await run(process.execPath, [script, '--screenshots', path.join(shots, phase === 'webview' ? 'webview' : 'vscode')], (line) => {
    const m = new RegExp(`^${phase}: (\\d+) passed, (\\d+) failed$`).exec(line.trim());
    if (m) { p = Number(m[1]); f = Number(m[2]); }
  });
  passed += p;
  failed += f;
  if (code !== 0 && f === 0) failed++;
  codes |= code;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || codes !== 0 ? 1 : 0);
