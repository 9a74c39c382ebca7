// `npm test`: unit tests (node's test runner over the compiled tests) then the integration tests in a real
// VS Code (scripts/integration.mjs). Ends with one line CI reads: "N passed, N failed".
//   node scripts/run-tests.mjs [--unit] [--integration]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const only = args.has('--unit') ? 'unit' : args.has('--integration') ? 'integration' : args.has('--webview') ? 'webview' : 'all';
// screenshots for the README come from the webview and integration runs
const shots = path.join(root, 'docs');

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
if (only === 'all' || only === 'unit') {
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
  if (only !== 'all' && only !== phase) continue;
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
