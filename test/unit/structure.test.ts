// The shape of the code the tasks/catalogue redesign promised, checked: the import graph (protocol and webview never
// import core), the extension bundle (descriptions only: no optimiser or CPU kernel code), the experiment schema
// generated from the catalogue, one backend list and one set of limits, and run folders in the format before
// metric records still opening.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { listModels } from '../../src/core/models/catalogue';
import { implementedModels } from '../../src/core/models/implementations';
import { experimentSchema } from '../../src/core/models/schema';
import { BACKENDS, LIMITS } from '../../src/core/limits';
import { CPU_KERNELS } from '../../src/core/linalg/kernels/register';
import { RunStore } from '../../src/host/runStore';
import { runTask } from '../../src/host/runInfo';
import { metricsCsv } from '../../src/host/exporter';
import { headline, selected } from '../../src/core/tasks/format';
import { repoRoot, tmpDir } from './helpers';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('nothing under src/protocol/ or webview/ imports src/core/ (or anything but protocol types and the UI kit)', () => {
  const core = path.join(repoRoot, 'src', 'core');
  const files = [...tsFiles(path.join(repoRoot, 'src', 'protocol')), ...tsFiles(path.join(repoRoot, 'webview'))];
  assert.ok(files.length >= 5);
  const offenders: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(f), spec);
      if (target === core || target.startsWith(core + path.sep)) offenders.push(`${path.relative(repoRoot, f)} → ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
  // protocol holds types only: no runtime statements besides type declarations
  for (const f of tsFiles(path.join(repoRoot, 'src', 'protocol'))) {
    const code = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    assert.doesNotMatch(code, /^\s*(export\s+)?(const|let|var|function|class|enum)\s/m, `${path.relative(repoRoot, f)} declares code`);
    assert.doesNotMatch(code, /^\s*import\s+(?!type\b)/m, `${path.relative(repoRoot, f)} has a value import`);
  }
});

const extensionJs = path.join(repoRoot, 'dist', 'extension.js');
test('dist/extension.js carries no L-BFGS, line search or CPU kernel code and stays small apart from the model descriptions', { skip: !fs.existsSync(extensionJs) && 'dist/extension.js not built' }, () => {
  const text = fs.readFileSync(extensionJs, 'utf8');
  for (const needle of ['Lbfgs', 'lineSearch', 'dcstep', 'TfObjective', 'registerKernel', 'cblas_sgemm', 'parallelRows', 'KrlLocalKernel', 'installFastElementwise', 'glorotUniform', 'src/core/optim/', 'src/core/linalg/', '.train.ts']) {
    assert.ok(!text.includes(needle), `the extension bundle contains "${needle}"`);
  }
  // the development build (esbuild, unminified, as `npm test` builds it) was 245,879 bytes at 0876864, before the
  // split. The model catalogue grows with every model (descriptions only), so the bound applies to the rest — 226,114
  // bytes when LLORMA and the spectral models joined, ~270,000 when sweeps joined (the sweep engine, Slurm submission,
  // sweep commands, the sidebar's sweeps; the YAML writer for Kubernetes stays in the CLI) — and each description
  // file stays small (data, not code).
  const marks = [...text.matchAll(/^\/\/ ((?:src|node_modules)\/.*)$/gm)].map((m) => ({ at: m.index as number, file: m[1] }));
  let catalogue = 0;
  marks.forEach((m, i) => {
    if (!/^src\/core\/models\/(?!model\.ts)/.test(m.file)) return;
    const size = (marks[i + 1]?.at ?? text.length) - m.at;
    assert.ok(size < 8_000, `${m.file} takes ${size} bytes of the extension bundle`);
    catalogue += size;
  });
  assert.ok(marks.length > 20 && catalogue > 0, 'the bundle has esbuild\'s file markers');
  assert.ok(text.length - catalogue < 280_000, `dist/extension.js is ${text.length} bytes, ${text.length - catalogue} without the model descriptions`);
});

test('the experiment-file schema is generated from the catalogue: every model, its presets, tasks and parameters', () => {
  const check = (schema: Record<string, unknown>, where: string) => {
    const item = (schema as { properties: { runs: { items: { properties: { model: { enum: string[] } }; allOf: { if: { properties: { model: { const: string } } }; then: { properties: { overrides: { properties: Record<string, { default: unknown }> }; task: { enum: string[] }; preset: { enum?: string[] } } } }[] } } } }).properties.runs.items;
    for (const m of listModels()) {
      assert.ok(item.properties.model.enum.includes(m.id), `${where}: model ${m.id}`);
      const rule = item.allOf.find((r) => r.if.properties.model.const === m.id);
      assert.ok(rule, `${where}: rule for ${m.id}`);
      assert.deepEqual(Object.keys(rule.then.properties.overrides.properties).sort(), m.params.map((p) => p.key).sort(), `${where}: ${m.id} parameters`);
      for (const p of m.params) assert.deepEqual(rule.then.properties.overrides.properties[p.key].default, p.default);
      assert.deepEqual(rule.then.properties.task.enum, m.tasks);
      if (Object.keys(m.presets).length) assert.deepEqual(rule.then.properties.preset.enum, Object.keys(m.presets));
    }
  };
  check(experimentSchema(), 'experimentSchema()');
  const built = path.join(repoRoot, 'dist', 'experiment.schema.json');
  if (fs.existsSync(built)) check(JSON.parse(fs.readFileSync(built, 'utf8')), 'dist/experiment.schema.json');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.jsonValidation[0].url, './dist/experiment.schema.json');
});

test('models call ops only: no backend checks in model code; every CPU kernel file is in the one registration list', () => {
  const models = tsFiles(path.join(repoRoot, 'src', 'core', 'models'));
  for (const f of models) assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /getBackend\(\)|registerKernel|unregisterKernel/, `${path.relative(repoRoot, f)} asks for the backend or registers kernels`);
  const dir = path.join(repoRoot, 'src', 'core', 'linalg', 'kernels');
  const helpers = new Set(['kernel.ts', 'register.ts', 'elementwise.ts', 'cpuBackend.ts']);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !helpers.has(f)).map((f) => f.replace(/\.ts$/, '')).sort();
  const registered = CPU_KERNELS.map((k) => k.kernelName).sort();
  assert.deepEqual(files, registered, 'one kernel per file, named after its kernel, each registered from the list');
});

test('every catalogue model has training code and the other way round; one backend list and one limit set', () => {
  assert.deepEqual(listModels().map((m) => m.id).sort(), implementedModels().sort());
  for (const m of listModels()) {
    assert.ok(m.tasks.length > 0 && ['autoencoders', 'factorization', 'spectral', 'ranking', 'baselines'].includes(m.family), m.id);
    for (const [name, p] of Object.entries(m.presets)) if (p.dataset && m.paperResults.length) assert.ok(typeof name === 'string');
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(props['kernelRecLab.backend'].enum, [...BACKENDS]);
  assert.equal(props['kernelRecLab.validationFraction'].maximum, LIMITS.valFraction.max);
  assert.equal(props['kernelRecLab.validationFraction'].minimum, LIMITS.valFraction.min);
});

test('a run folder in the format before metric records (rmse/mae fields, kernel snapshots) still lists, loads, exports and shows', () => {
  const root = tmpDir();
  const id = '20261120-120000-glocal-k-ml-100k-u1';
  const d = path.join(root, id);
  fs.mkdirSync(path.join(d, 'artifacts'), { recursive: true });
  const spec = { model: 'glocal-k', preset: 'ml-100k', overrides: {}, dataset: { train: '/data/ml-100k/u1.base' }, split: 'given', valFraction: 0.05, seed: 1234, backend: 'cpu' };
  fs.writeFileSync(path.join(d, 'run.json'), JSON.stringify({ id, status: 'completed', createdAt: '2026-11-20T12:00:00.000Z', spec, datasetName: 'ml-100k/u1', versions: {}, hostname: 'old' }));
  fs.writeFileSync(path.join(d, 'metrics.jsonl'), [
    { phase: 'pretrain', epoch: 1, epochs: 1, globalEpoch: 1, trainLoss: 100, trainRmse: 1.0, valRmse: 0.95, testRmse: 0.96, testMae: 0.75, seconds: 1 },
    { phase: 'finetune', epoch: 1, epochs: 1, globalEpoch: 2, trainLoss: 90, trainRmse: 0.9, valRmse: null, testRmse: 0.9, testMae: 0.71, seconds: 1 },
  ].map((x) => JSON.stringify(x)).join('\n') + '\n');
  fs.writeFileSync(path.join(d, 'summary.json'), JSON.stringify({ runId: id, model: 'glocal-k', dataset: 'ml-100k/u1', backend: 'cpu', status: 'completed', rmse: { valSelected: 0.9, last: 0.9, testSelected: 0.9 }, mae: { valSelected: 0.71, last: 0.71, testSelected: 0.71 }, epochs: { valSelected: 2, testSelected: 2, last: 2 }, paper: { dataset: 'ml-100k', rmse: 0.89, note: 'paper' }, trainRatings: 76000, valRatings: 4000, testRatings: 20000, seconds: 2 }));
  const tensor = { name: 'layer 1', rows: 2, cols: 2, fullRows: 2, fullCols: 2, data: [1, 0.5, 0, 1] };
  fs.writeFileSync(path.join(d, 'artifacts', 'snapshots.jsonl'), JSON.stringify({ phase: 'pretrain', epoch: 1, globalEpoch: 1, layers: [{ name: 'layer 1', kernel: tensor, weight: tensor, sparsity: 0.25 }], globalKernel: { ...tensor, name: 'global kernel' } }) + '\n');
  const store = new RunStore(root);
  const [listed] = store.list();
  assert.equal(listed.record.id, id);
  assert.equal(listed.summary?.task, 'rating');
  assert.equal(selected(listed.summary, 'valSelected'), 0.9);
  assert.equal(listed.summary?.selection.valSelected?.test.mae, 0.71);
  assert.deepEqual(listed.summary?.paper?.metrics, { rmse: 0.89 });
  assert.equal(headline(listed.summary as NonNullable<typeof listed.summary>), 'RMSE 0.9000');
  const run = store.load(id);
  assert.deepEqual(run.metrics.map((m) => m.test), [{ rmse: 0.96, mae: 0.75 }, { rmse: 0.9, mae: 0.71 }]);
  assert.deepEqual(run.metrics[1].val, {}, 'a null validation value is absent, not NaN');
  assert.equal(runTask(run).selectBy, 'rmse');
  const frames = store.artifacts(id);
  assert.deepEqual(frames.map((f) => f.name), ['kernels', 'sparsity', 'global kernel']);
  assert.match(metricsCsv(run).split('\n')[0], /train_rmse,val_rmse,test_rmse,test_mae/);
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (fs.existsSync(cli)) {
    const show = spawnSync(process.execPath, [cli, 'show', id, '--runs-dir', root], { encoding: 'utf8' });
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /RMSE \(a\)[\s\S]*0\.9000[\s\S]*\+0\.0100/);
    const list = spawnSync(process.execPath, [cli, 'list', '--runs-dir', root], { encoding: 'utf8' });
    assert.match(list.stdout, /RMSE 0\.9000/);
  }
});

test('the linux-x64 .vsix holds the bundles, the WebGPU backend (webgpu + Dawn for linux-x64), koffi and the README’s pictures', { skip: !fs.existsSync(path.join(repoRoot, 'node_modules', 'webgpu', 'dist', 'linux-x64')) && 'the optional webgpu package is not installed', timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), '--ls', '--target', 'linux-x64'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = new Set(r.stdout.trim().split('\n'));
  for (const f of ['dist/extension.js', 'dist/trainer.js', 'dist/cli.js', 'dist/webview.js', 'dist/experiment.schema.json', 'node_modules/webgpu/index.js', 'node_modules/webgpu/dist/linux-x64/dawn.node', 'node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node', 'node_modules/koffi/index.js']) {
    assert.ok(files.has(f), `${f} is in the package`);
  }
  assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('webgpu/dist/win32') || f.includes('webgpu/dist/darwin')), 'no sources, tests or other platforms’ binaries');
  // every picture the README shows is packaged (relative links resolve in the installed extension)
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length > 0);
  for (const img of images) assert.ok(/^https:\/\//.test(img) || files.has(img), `README image ${img} is packaged`);
});
