/** Flows in the real VS Code: activation, training through the child process, cancel, errors, panel, every command. */
import * as vscode from 'vscode';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { syntheticTsv } from '../../src/core/data/synthetic';
import type { KernelRecLabApi } from '../../src/host/activate';
import type { StartRunResult } from '../../src/protocol/trainer';

export interface IntegrationTest {
  name: string;
  fn: () => Promise<void>;
  timeoutMs?: number;
}

export const tests: IntegrationTest[] = [];
const test = (name: string, fn: () => Promise<void>, timeoutMs?: number) => tests.push({ name, fn, timeoutMs });

/** What the running test is waiting for: a test that times out names it (what hung, not only that something did). */
export const trace = { step: '' };

/** vscode.commands.executeCommand that records the command as the test's step while it runs. */
async function exec(command: string, ...args: unknown[]): Promise<unknown> {
  trace.step = `command ${command}`;
  const v = await vscode.commands.executeCommand(command, ...args);
  trace.step = `after command ${command}`;
  return v;
}

const ws = () => (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath as string);
let api: KernelRecLabApi;
const data = { base: '', test: '', bad: '', experiment: '', ranking: '' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 60000): Promise<T> {
  const t0 = Date.now();
  trace.step = `waiting for ${what}`;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function waitFinished(runId: string): Promise<StartRunResult> {
  trace.step = `waiting for run ${runId} to finish`;
  return new Promise((resolve) => {
    const on = (id: string, r: StartRunResult) => {
      if (id !== runId) return;
      api.queue.off('finished', on);
      resolve(r);
    };
    api.queue.on('finished', on);
    // already finished?
    const s = api.store.load(runId).summary;
    if (s && !api.queue.isActive(runId)) {
      api.queue.off('finished', on);
      resolve({ summary: s });
    }
  });
}

/**
 * Asks the harness for a screenshot of the whole window and waits until it is taken. A name starting `failure-` (the
 * runner's, after a failed test) also has the harness log the dialogs and notifications on screen, and keeps the
 * picture out of docs/.
 */
export async function screenshot(name: string, ms = 30000): Promise<void> {
  const dir = path.join(ws(), '.krl-shots');
  if (!fs.existsSync(dir)) return; // not under scripts/integration.mjs (e.g. @vscode/test-cli): no screenshots
  fs.writeFileSync(path.join(dir, `${name}.request`), '');
  await until(`screenshot ${name}`, () => fs.existsSync(path.join(dir, `${name}.done`)), ms);
}

test('the extension activates and registers every command in package.json', async () => {
  const ext = vscode.extensions.getExtension('kernel-rec-lab.kernel-rec-lab');
  assert.ok(ext, 'extension kernel-rec-lab.kernel-rec-lab is loaded');
  api = (await ext.activate()) as KernelRecLabApi;
  assert.ok(api?.queue && api.store, 'activate() returns the API');
  const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  for (const c of declared) assert.ok(registered.has(c), `command ${c} is registered`);
  // datasets for the following tests, generated here (nothing is committed)
  const dir = path.join(ws(), 'data', 'toy');
  fs.mkdirSync(dir, { recursive: true });
  const lines = syntheticTsv({ users: 120, items: 90, rank: 3, density: 0.2, noise: 0.3, seed: 11 }).trim().split('\n');
  data.base = path.join(dir, 'u1.base');
  data.test = path.join(dir, 'u1.test');
  fs.writeFileSync(data.base, lines.filter((_, i) => i % 5 !== 0).join('\n') + '\n');
  fs.writeFileSync(data.test, lines.filter((_, i) => i % 5 === 0).join('\n') + '\n');
  data.bad = path.join(ws(), 'data', 'broken.tsv');
  fs.writeFileSync(data.bad, '1\t1\t4\t100\n1\t2\t5\t101\n2\tabc\t3\t102\n');
  // a ranking experiment: DLR² (tiny settings) and ItemKNN under a LEPORID-style protocol, through the trainer process
  fs.writeFileSync(path.join(ws(), 'data', 'interactions.tsv'), lines.join('\n') + '\n');
  data.ranking = path.join(ws(), 'data', 'ranking.krl.json');
  fs.writeFileSync(data.ranking, JSON.stringify({ dataset: 'interactions.tsv', task: 'ranking', split: 'chrono:0.7:0.1:0.2', minInteractions: 5, runs: [{ model: 'dlr2', overrides: { iterations: 4, evalEvery: 2, dims: 8, knn: 10, batch: 4, storeSize: 20 } }, { model: 'item-knn', overrides: { k: 20 } }] }, null, 2));
  data.experiment = path.join(ws(), 'data', 'two-runs.krl.json');
  fs.writeFileSync(data.experiment, JSON.stringify({ dataset: 'toy/u1.base', runs: [{ model: 'user-item-mean' }, { model: 'biased-mf', overrides: { epochs: 3 }, seeds: [1] }, { model: 'llorma', preset: 'fast' }] }, null, 2));
});

let firstRun = '';
test('Train runs end to end through the trainer process; its folder, metrics and tree entry appear', async () => {
  const r = (await exec('kernelRecLab.train', { train: data.base, model: 'biased-mf', overrides: { epochs: 8 } })) as { runId: string };
  assert.ok(r?.runId, 'train returns a run id');
  firstRun = r.runId;
  const res = await waitFinished(r.runId);
  assert.equal(res.summary.status, 'completed', res.summary.error);
  const loaded = api.store.load(r.runId);
  assert.equal(loaded.metrics.length, 8);
  assert.ok(fs.existsSync(path.join(ws(), '.kernelrec', 'runs', r.runId, 'summary.json')));
  const a = loaded.summary?.selection.valSelected?.test.rmse ?? NaN;
  assert.ok(a > 0 && a < 1.5, `val-selected test RMSE ${a}`);
  assert.equal(loaded.summary?.task, 'rating');
  assert.equal(loaded.record.dataset?.files.length, 2, 'u1.test was found as the partner');
  const groups = api.tree.getChildren() as { kind: string; name: string }[];
  const group = groups.find((g) => g.name === 'toy/u1');
  assert.ok(group, `tree has the dataset group (groups: ${groups.map((g) => g.name)})`);
  const items = api.tree.getChildren(group as never) as { run: { record: { id: string } } }[];
  assert.ok(items.some((i) => i.run.record.id === r.runId), 'tree lists the run');
  const item = api.tree.getTreeItem(items.find((i) => i.run.record.id === r.runId) as never);
  assert.match(String(item.description), /RMSE \d\.\d{4}/);
  assert.ok(api.messages.some((m) => m.kind === 'info' && /test RMSE/.test(m.text)), 'a completion message was shown');
});

test('Cancel Run stops a running run within seconds and keeps its log and metrics', async () => {
  const r = (await exec('kernelRecLab.train', { train: data.base, model: 'biased-mf', overrides: { epochs: 10000 } })) as { runId: string };
  await until('first epoch', () => api.store.load(r.runId).metrics.length > 0);
  const t0 = Date.now();
  const ok = await exec('kernelRecLab.cancelRun', r.runId);
  assert.equal(ok, true);
  const res = await waitFinished(r.runId);
  assert.equal(res.summary.status, 'cancelled');
  assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
  const loaded = api.store.load(r.runId);
  assert.equal(loaded.record.status, 'cancelled');
  assert.ok(loaded.metrics.length > 0);
  assert.match(api.store.log(r.runId), /cancel/);
});

test('A malformed dataset shows an error naming file and line, leaves no run folder; the host keeps working', async () => {
  const before = api.messages.length;
  const r = (await exec('kernelRecLab.train', { train: data.bad, model: 'biased-mf' })) as { runId: string };
  const res = await waitFinished(r.runId);
  assert.equal(res.summary.status, 'failed');
  assert.equal(res.errorKind, 'input');
  await until('error message', () => api.messages.slice(before).find((m) => m.kind === 'error'));
  const err = api.messages.slice(before).find((m) => m.kind === 'error');
  assert.match(err?.text ?? '', /broken\.tsv:3: item id "abc" is not an integer/);
  assert.ok(!fs.existsSync(api.store.dirOf(r.runId)), 'bad input leaves no run folder (the sidebar does not fill with typos)');
  // still alive: another command and another run work
  assert.equal(await exec('kernelRecLab.refreshRuns'), true);
  const again = (await exec('kernelRecLab.train', { train: data.base, model: 'user-item-mean' })) as { runId: string };
  assert.equal((await waitFinished(again.runId)).summary.status, 'completed');
});

test('A ranking experiment file runs DLR² (LEPORID embeddings by ARPACK in the trainer process) and ItemKNN; HR@k stored, embedding pictures written', async () => {
  const r = (await exec('kernelRecLab.runExperimentFile', vscode.Uri.file(data.ranking))) as { runIds: string[] };
  assert.equal(r.runIds.length, 2);
  const results = await Promise.all(r.runIds.map(waitFinished));
  assert.deepEqual(results.map((x) => x.summary.status), ['completed', 'completed'], results.map((x) => x.summary.error ?? '').join(' | '));
  const dl = api.store.load(r.runIds[0]);
  assert.equal(dl.summary?.task, 'ranking');
  assert.equal(dl.metrics.length, 2, 'two evaluations (every 2 of 4 iterations)');
  assert.ok(dl.metrics.every((m) => m.test['hr@10'] >= 0 && m.test['hr@10'] <= 1));
  const frames = fs.readFileSync(path.join(api.store.dirOf(r.runIds[0]), 'artifacts', 'frames.jsonl'), 'utf8');
  for (const name of ['user embedding', 'item embedding', 'spectrum', 'ranking curves']) assert.ok(frames.includes(`"name":"${name}"`), `artifact ${name}`);
  assert.match(api.store.log(r.runIds[0]), /leporid user embedding: Jaccard kNN graph/);
});

test('Open Results shows the dataset panel with the run; the webview renders without console errors', async () => {
  // a small GLocal-K run first, so the panel has kernel heatmaps to show
  const g = (await exec('kernelRecLab.train', { train: data.base, model: 'glocal-k', overrides: { hidden: 32, preEpochs: 4, preMaxiter: 5, fineEpochs: 3, fineMaxiter: 3 } })) as { runId: string };
  assert.equal((await waitFinished(g.runId)).summary.status, 'completed');
  assert.equal(api.store.artifacts(g.runId).filter((f) => f.name === 'kernels').length, 7, 'one kernel picture per epoch');
  await exec('kernelRecLab.compareRuns', [g.runId, firstRun]);
  const ds = await exec('kernelRecLab.openResults', g.runId);
  assert.equal(ds, 'toy/u1');
  const info = await until('panel ready', () => api.panels.inspect().find((p) => p.dataset === 'toy/u1' && p.posted.includes('snapshot') && p.posted.filter((x) => x === 'snapshot').length >= 2 ? p : undefined), 30000);
  assert.ok(info.state.runs.some((r) => r.id === firstRun));
  assert.ok(info.state.runs.find((r) => r.id === firstRun)?.metrics.length === 8);
  assert.equal(info.state.heatmapRun, g.runId);
  await until('pictures sent to the panel', () => api.panels.inspect().find((p) => p.dataset === 'toy/u1' && p.posted.includes('artifacts')), 30000);
  await sleep(1500);
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
  await sleep(800);
  await screenshot('panel-dark');
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
  await sleep(800);
  await screenshot('panel-light');
  const after = api.panels.inspect().find((p) => p.dataset === 'toy/u1');
  assert.deepEqual(after?.consoleErrors, [], `the webview reported errors: ${JSON.stringify(after?.consoleErrors)}`);
}, 120000);

test('Show Dataset Statistics reads the file in a child process and shows it in the panel', async () => {
  const name = await exec('kernelRecLab.showDatasetStatistics', vscode.Uri.file(data.base));
  assert.equal(name, 'toy/u1');
  const p = await until('stats in panel', () => api.panels.inspect().find((x) => x.dataset === 'toy/u1' && x.state.datasetStats));
  const st = p.state.datasetStats as NonNullable<typeof p.state.datasetStats>;
  assert.equal(st.all.users, 120);
  assert.equal(st.all.items, 90);
  assert.ok(st.test && st.test.ratings > 0);
  await screenshot('dataset-stats');
});

test('Compare Runs, Export Run (CSV and JSON), Show Log, Reveal, Rerun', async () => {
  const runs = api.store.list().filter((r) => r.record.datasetName === 'toy/u1' && r.record.status === 'completed').map((r) => r.record.id);
  assert.ok(runs.length >= 2);
  const compared = await exec('kernelRecLab.compareRuns', runs.slice(0, 2));
  assert.deepEqual(compared, ['toy/u1']);
  const p = await until('selection', () => api.panels.inspect().find((x) => x.dataset === 'toy/u1' && x.state.selected.length === 2));
  assert.deepEqual([...p.state.selected].sort(), runs.slice(0, 2).sort());
  const csv = path.join(ws(), 'export.csv');
  assert.equal(await exec('kernelRecLab.exportRun', firstRun, { format: 'csv', file: csv }), csv);
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 9);
  assert.match(lines[0], /^globalEpoch,phase,epoch,epochs,trainLoss,train_rmse,train_mae,val_rmse,val_mae,test_rmse,test_mae,seconds/);
  const json = path.join(ws(), 'export.json');
  await exec('kernelRecLab.exportRun', firstRun, { format: 'json', file: json });
  assert.equal(JSON.parse(fs.readFileSync(json, 'utf8')).metrics.length, 8);
  assert.equal(await exec('kernelRecLab.showLog', firstRun), firstRun);
  assert.ok(vscode.window.activeTextEditor?.document.fileName.endsWith('log.txt'));
  assert.equal(await exec('kernelRecLab.revealRunFolder', firstRun), fs.realpathSync(api.store.dirOf(firstRun)));
  const re = (await exec('kernelRecLab.rerun', firstRun)) as { runId: string };
  assert.notEqual(re.runId, firstRun);
  const res = await waitFinished(re.runId);
  assert.equal(res.summary.status, 'completed');
  assert.equal(res.summary.selection.valSelected?.test.rmse, api.store.load(firstRun).summary?.selection.valSelected?.test.rmse, 'same spec and seed ⇒ same result');
});

test('Edit Tags and Note keeps them in the run folder and shows them in the sidebar and the panel', async () => {
  const notes = (await exec('kernelRecLab.editNotes', firstRun, { tags: ['baseline', ' fast ', 'baseline'], note: 'biased MF, 8 epochs' })) as { tags: string[]; note?: string };
  assert.deepEqual(notes, { tags: ['baseline', 'fast'], note: 'biased MF, 8 epochs' });
  assert.ok(fs.existsSync(path.join(api.store.dirOf(firstRun), 'notes.json')));
  const group = (api.tree.getChildren() as { kind: string; name: string }[]).find((g) => g.name === 'toy/u1');
  const node = (api.tree.getChildren(group as never) as { run: { record: { id: string } } }[]).find((n) => n.run.record.id === firstRun);
  const item = api.tree.getTreeItem(node as never);
  assert.match(String(item.description), /#baseline #fast/);
  assert.match((item.tooltip as vscode.MarkdownString).value, /Note: biased MF, 8 epochs/);
  await exec('kernelRecLab.openResults', firstRun);
  const p = await until('tags in the panel', () => api.panels.inspect().find((x) => x.dataset === 'toy/u1' && x.state.runs.find((r) => r.id === firstRun)?.tags.includes('fast')));
  assert.equal(p.state.runs.find((r) => r.id === firstRun)?.note, 'biased MF, 8 epochs');
});

test('Run Experiment File queues every run of a *.krl.json (LLORMA too: worker threads and WebAssembly in the trainer)', async () => {
  const r = (await exec('kernelRecLab.runExperimentFile', vscode.Uri.file(data.experiment))) as { runIds: string[] };
  assert.equal(r.runIds.length, 3);
  const results = await Promise.all(r.runIds.map(waitFinished));
  assert.deepEqual(results.map((x) => x.summary.status), ['completed', 'completed', 'completed'], results.map((x) => x.summary.error ?? '').join(' | '));
  assert.deepEqual(r.runIds.map((id) => api.store.load(id).record.spec.model), ['user-item-mean', 'biased-mf', 'llorma']);
  // LLORMA: one record per ensemble size (the fast preset's 8 anchors) and its three pictures in the run folder
  const ll = api.store.load(r.runIds[2]);
  assert.deepEqual(ll.metrics.map((m) => m.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
  const frames = fs.readFileSync(path.join(api.store.root, r.runIds[2], 'artifacts', 'frames.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).name as string);
  for (const name of ['rmse vs anchors', 'anchor coverage', 'local models']) assert.equal(frames.filter((n) => n === name).length, 8, name);
  const log = fs.readFileSync(path.join(api.store.root, r.runIds[2], 'log.txt'), 'utf8');
  assert.match(log, /WebAssembly SGD pass/);
});

test('A sweep file: Run Experiment File queues its grid × seeds, opens the experiments table, reruns only what is missing; Export CSV and Save as preset; the preset trains', async () => {
  const file = path.join(ws(), 'data', 'mf-sweep.krl.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'it-mf', dataset: 'toy/u1.base', select: 'rmse', seeds: [1, 2], runs: [{ model: 'biased-mf', overrides: { epochs: 3 }, grid: { lr: [0.005, 0.02] } }] }, null, 2));
  const r = (await exec('kernelRecLab.runExperimentFile', vscode.Uri.file(file))) as { runIds: string[] };
  assert.equal(r.runIds.length, 4);
  const results = await Promise.all(r.runIds.map(waitFinished));
  assert.deepEqual(results.map((x) => x.summary.status), ['completed', 'completed', 'completed', 'completed']);
  assert.deepEqual(r.runIds.map((id) => api.store.load(id).record.sweep?.point.lr), [0.005, 0.005, 0.02, 0.02]);
  const p = await until('the experiments table', () => api.panels.inspect().find((x) => x.dataset === 'sweep:it-mf' && x.state.sweep?.counts.completed === 4));
  const sv = p.state.sweep as NonNullable<typeof p.state.sweep>;
  assert.equal(sv.groups.length, 2);
  const means = sv.groups.map((g) => (g.val as { mean: number }).mean);
  assert.equal(sv.groups.find((g) => g.chosen)?.point.lr, sv.groups[means.indexOf(Math.min(...means))].point.lr, 'the lowest mean validation RMSE is chosen');
  assert.deepEqual(p.consoleErrors, []);
  // the sidebar: Sweeps → it-mf → its four points, the chosen ones starred
  await exec('kernelRecLab.refreshRuns');
  const root = api.tree.getChildren() as { kind: string }[];
  const sweeps = root.find((n) => n.kind === 'sweeps');
  assert.ok(sweeps, 'a Sweeps group in the sidebar');
  const sweepNode = (api.tree.getChildren(sweeps as never) as { kind: string; id: string }[]).find((n) => n.id === 'it-mf');
  assert.ok(sweepNode, 'the sweep in the sidebar');
  assert.match(String(api.tree.getTreeItem(sweepNode as never).description), /4 completed/);
  const points = (api.tree.getChildren(sweepNode as never) as never[]).map((n) => api.tree.getTreeItem(n));
  assert.equal(points.length, 4);
  assert.equal(points.filter((i) => String(i.label).startsWith('★')).length, 2);
  // rerunning the file runs nothing: every point is completed
  const again = (await exec('kernelRecLab.runExperimentFile', vscode.Uri.file(file))) as { runIds: string[] };
  assert.equal(again.runIds.length, 0);
  const csv = (await exec('kernelRecLab.exportSweepCsv', 'it-mf', path.join(ws(), 'it-mf.csv'))) as string;
  assert.equal(fs.readFileSync(csv, 'utf8').trim().split('\n').length, 5);
  const saved = (await exec('kernelRecLab.saveSweepPreset', 'it-mf', 'mf-best')) as { file: string };
  const presets = JSON.parse(fs.readFileSync(saved.file, 'utf8'));
  const best = sv.groups.find((g) => g.chosen)?.point.lr;
  assert.equal(presets.presets['mf-best'].values.lr, best);
  assert.equal(presets.presets['mf-best'].model, 'biased-mf');
  // the saved preset trains like a paper preset: its values are in the run's spec
  const t = (await exec('kernelRecLab.train', { train: data.base, model: 'biased-mf', preset: 'mf-best', progress: false })) as { runId: string };
  assert.ok(t?.runId, 'train with the workspace preset');
  assert.equal(api.store.load(t.runId).record.spec.overrides.lr, best);
  await waitFinished(t.runId);
}, 180000);

test('A run folder written before metric records (rmse/mae fields, kernel snapshots) opens in the sidebar and the panel', async () => {
  const id = '20261101-090000-glocal-k-legacy-u1';
  const d = path.join(api.store.root, id);
  fs.mkdirSync(path.join(d, 'artifacts'), { recursive: true });
  const spec = { model: 'glocal-k', preset: 'ml-100k', overrides: {}, dataset: { train: path.join(ws(), 'data', 'legacy', 'u1.base') }, split: 'given', valFraction: 0.05, seed: 1234, backend: 'cpu' };
  fs.writeFileSync(path.join(d, 'run.json'), JSON.stringify({ id, status: 'completed', createdAt: '2026-11-01T09:00:00.000Z', spec, datasetName: 'legacy/u1', versions: {}, hostname: 'old' }));
  fs.writeFileSync(path.join(d, 'metrics.jsonl'), [1, 2, 3].map((e) => JSON.stringify({ phase: 'pretrain', epoch: e, epochs: 3, globalEpoch: e, trainLoss: 100 / e, trainRmse: 1 / e, valRmse: 0.95 - 0.01 * e, testRmse: 0.96 - 0.01 * e, testMae: 0.75, seconds: 1 })).join('\n') + '\n');
  fs.writeFileSync(path.join(d, 'summary.json'), JSON.stringify({ runId: id, model: 'glocal-k', dataset: 'legacy/u1', backend: 'cpu', status: 'completed', rmse: { valSelected: 0.93, last: 0.93, testSelected: 0.93 }, mae: { valSelected: 0.75, last: 0.75, testSelected: 0.75 }, epochs: { valSelected: 3, testSelected: 3, last: 3 }, paper: { dataset: 'ml-100k', rmse: 0.89 }, trainRatings: 1, valRatings: 1, testRatings: 1, seconds: 3 }));
  const t = { name: 'layer 1', rows: 2, cols: 2, fullRows: 2, fullCols: 2, data: [1, 0.5, 0, 1] };
  fs.writeFileSync(path.join(d, 'artifacts', 'snapshots.jsonl'), [1, 2, 3].map((e) => JSON.stringify({ phase: 'pretrain', epoch: e, globalEpoch: e, layers: [{ name: 'layer 1', kernel: t, weight: t, sparsity: 0.25 }] })).join('\n') + '\n');
  await exec('kernelRecLab.refreshRuns');
  const group = (api.tree.getChildren() as { kind: string; name: string }[]).find((g) => g.name === 'legacy/u1');
  assert.ok(group, 'the old run’s dataset is in the sidebar');
  const [node] = api.tree.getChildren(group as never) as { run: { record: { id: string } } }[];
  const item = api.tree.getTreeItem(node as never);
  assert.equal(String(item.description), 'RMSE 0.9300');
  assert.equal(await exec('kernelRecLab.openResults', id), 'legacy/u1');
  const p = await until('legacy panel', () => api.panels.inspect().find((x) => x.dataset === 'legacy/u1' && x.posted.includes('snapshot')));
  const rv = p.state.runs.find((r) => r.id === id);
  assert.equal(rv?.task.id, 'rating');
  assert.equal(rv?.summary?.selection.valSelected?.test.rmse, 0.93);
  assert.equal(rv?.metrics.length, 3);
  assert.ok(p.state.columns.some((c) => c.key === 'rating:rmse:valSelected') && p.state.columns.some((c) => c.kind === 'paper'), 'the table has RMSE and paper columns');
  await until('legacy pictures sent', () => api.panels.inspect().find((x) => x.dataset === 'legacy/u1' && x.posted.includes('artifacts')), 30000);
  const after = api.panels.inspect().find((x) => x.dataset === 'legacy/u1');
  assert.deepEqual(after?.consoleErrors, []);
});

test('Rerun of a committed run.json that names a shared library never loads it (nor takes its threads)', async () => {
  const evil = path.join(ws(), 'data', 'libevil.so');
  fs.writeFileSync(evil, 'if this were loaded, a cloned repository would run code');
  const id = '20261101-100000-biased-mf-trust-u1';
  const d = path.join(api.store.root, id);
  fs.mkdirSync(d, { recursive: true });
  const spec = { model: 'biased-mf', overrides: { epochs: 2 }, dataset: { train: data.base }, split: 'given', valFraction: 0.05, seed: 7, backend: 'cpu', blasLibrary: evil, threads: 99 };
  fs.writeFileSync(path.join(d, 'run.json'), JSON.stringify({ id: '..', status: 'completed', createdAt: '2026-11-01T10:00:00.000Z', spec, datasetName: 'toy/u1', versions: {}, hostname: 'elsewhere' }));
  await exec('kernelRecLab.refreshRuns');
  const re = (await exec('kernelRecLab.rerun', id)) as { runId: string };
  const res = await waitFinished(re.runId);
  assert.equal(res.summary.status, 'completed', res.summary.error);
  const rec = api.store.load(re.runId).record;
  assert.equal(rec.spec.blasLibrary, undefined);
  assert.equal(rec.spec.threads, undefined);
  assert.equal(rec.spec.seed, 7, 'the experiment itself is rerun');
  assert.ok(!api.store.log(re.runId).includes('libevil'), 'the library is never mentioned, let alone loaded');
  assert.ok(!JSON.stringify(rec.backend ?? {}).includes('libevil'));
  // the committed id ".." is ignored: the run's id is its folder name, and Delete acts on that folder only
  assert.equal(await exec('kernelRecLab.deleteRun', id, { confirm: false }), true);
  assert.ok(fs.existsSync(api.store.root) && !fs.existsSync(d));
});

test('Delete Run (from a tree item) removes the folder and the tree entry', async () => {
  const victim = api.store.list().find((r) => r.record.status === 'failed' || r.record.status === 'cancelled')?.record.id as string;
  assert.ok(victim);
  // the tree's context menu passes its node: { kind: 'run', run: LoadedRun }
  const datasets = () => (api.tree.getChildren() as { kind: string; runs: { record: { id: string } }[] }[]).filter((g) => g.kind === 'dataset');
  const node = datasets().flatMap((grp) => api.tree.getChildren(grp as never) as { run: { record: { id: string } } }[]).find((n) => n.run.record.id === victim);
  assert.ok(node, 'the failed run is in the tree');
  assert.equal(await exec('kernelRecLab.deleteRun', node, { confirm: false }), true);
  assert.ok(!fs.existsSync(api.store.dirOf(victim)));
  const all = datasets().flatMap((g) => g.runs.map((r) => r.record.id));
  assert.ok(!all.includes(victim));
});
