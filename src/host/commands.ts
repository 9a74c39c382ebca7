/**
 * Activation: wires the run store, queue, trainer, sidebar, status bar, results panels and commands.
 * Commands accept arguments so they can be driven programmatically (tests, keybindings) as well as from the UI.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore } from './runStore';
import { RunQueue } from './runQueue';
import { RunsTree } from './runsTree';
import { StatusBar } from './statusBar';
import { ResultsPanels } from './resultsPanel';
import { config, runsRoot } from './settings';
import { MultiStepInput, PickItem } from './multiStep';
import { loadExperiment } from './experimentFile';
import { metricsCsv, runJson } from './exporter';
import { datasetStatsInChild } from './datasetStats';
import { listModels, getModel, DEFAULT_MODEL } from '../core/models/registry';
import { coerceParam, resolveHyper } from '../core/models/model';
import { parseSplit } from '../core/data/splits';
import { datasetName } from '../core/data/dataset';
import type { BackendName, Hyper, RunSpec } from '../core/types';
import type { StartRunResult } from '../protocol/trainer';

/** Arguments for kernelRecLab.train when called programmatically (no UI). */
export interface TrainArgs {
  train: string;
  test?: string;
  model?: string;
  preset?: string;
  split?: string;
  backend?: BackendName;
  overrides?: Hyper;
  valFraction?: number;
  seed?: number;
  /** Show the progress notification (default true). */
  progress?: boolean;
}

/** What activate() returns: used by integration tests and by other extensions. */
export interface KernelRecLabApi {
  store: RunStore;
  queue: RunQueue;
  panels: ResultsPanels;
  tree: RunsTree;
  /** Error and information messages shown to the user (most recent last). */
  messages: { kind: 'error' | 'info' | 'warning'; text: string }[];
  train(args: TrainArgs): { runId: string; done: Promise<StartRunResult> };
}

const DATASET_GLOB = '**/{u.data,u[0-9].base,u[0-9].test,ua.base,ua.test,ub.base,ub.test,ratings.dat,*.csv,*.tsv,*.mat}';

export function activateHost(context: vscode.ExtensionContext): KernelRecLabApi {
  const log = vscode.window.createOutputChannel('Kernel Rec Lab', { log: true });
  const store = new RunStore(runsRoot(context));
  const version = (context.extension.packageJSON as { version: string }).version;
  const queue = new RunQueue(
    store,
    () => {
      const c = config();
      return {
        trainerPath: context.asAbsolutePath(path.join('dist', 'trainer.js')),
        nodePath: c.nodePath,
        execArgv: c.trainerMemoryMB > 0 ? [`--max-old-space-size=${c.trainerMemoryMB}`] : [],
      };
    },
    () => config().maxConcurrentRuns,
    { extension: version, vscode: vscode.version },
  );
  const messages: KernelRecLabApi['messages'] = [];
  const tree = new RunsTree(store, queue);
  const status = new StatusBar(queue);
  const panels = new ResultsPanels(context, store, queue);
  context.subscriptions.push(log, tree, status, panels, vscode.window.registerTreeDataProvider('kernelRecLab.runs', tree));
  context.subscriptions.push({ dispose: () => queue.cancelAll() });

  queue.on('log', (id, l) => {
    const text = `[${id}] ${l.message}`;
    if (l.level === 'error') log.error(text);
    else if (l.level === 'warn') log.warn(text);
    else if (l.level === 'debug') log.debug(text);
    else log.info(text);
  });

  const show = async (kind: 'error' | 'info' | 'warning', text: string, ...actions: string[]) => {
    messages.push({ kind, text });
    if (messages.length > 100) messages.shift();
    const fn = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return fn(text, ...actions);
  };

  const defaultsSpec = (): Pick<RunSpec, 'valFraction' | 'seed' | 'backend' | 'blasLibrary' | 'threads'> => {
    const c = config();
    return { valFraction: c.validationFraction, seed: c.seed, backend: c.backend, blasLibrary: c.blasLibrary, threads: c.threads };
  };

  /** Queues a run, shows progress with cancel, and reports the outcome with Show Log / Retry. */
  const submit = (spec: RunSpec, opts: { progress?: boolean } = {}) => {
    const label = datasetName(spec.dataset.train, spec.dataset.test);
    const { runId, done } = queue.submit(spec, label);
    log.info(`[${runId}] queued: ${spec.model} on ${label}`);
    panels.notifyRunAdded(runId, spec);
    if (opts.progress !== false) {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Kernel Rec Lab: ${spec.model} on ${label}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => queue.cancel(runId));
          let last = 0;
          const onProgress = (id: string, p: { fraction: number; message: string }) => {
            if (id !== runId) return;
            const inc = Math.max(0, p.fraction * 100 - last);
            last += inc;
            progress.report({ increment: inc, message: p.message });
          };
          queue.on('progress', onProgress);
          return done.finally(() => queue.off('progress', onProgress));
        },
      );
    }
    void done.then(async (r) => {
      const s = r.summary;
      if (s.status === 'completed') {
        const pick = await show('info', `${spec.model} on ${label}: test RMSE ${fmt(s.rmse.valSelected)} (validation-selected), ${fmt(s.rmse.testSelected)} (test-selected) in ${s.seconds.toFixed(1)} s`, 'Open Results');
        if (pick === 'Open Results') await vscode.commands.executeCommand('kernelRecLab.openResults', runId);
      } else if (s.status === 'failed') {
        const pick = await show('error', `${spec.model} on ${label} failed: ${s.error ?? 'unknown error'}`, 'Show Log', 'Retry');
        if (pick === 'Show Log') await vscode.commands.executeCommand('kernelRecLab.showLog', runId);
        if (pick === 'Retry') submit(spec, opts);
      } else if (s.status === 'cancelled') {
        void show('info', `${spec.model} on ${label} was cancelled; its log and metrics so far are kept.`);
      }
    });
    return { runId, done };
  };

  const trainFromArgs = (a: TrainArgs) => {
    const d = defaultsSpec();
    const model = a.model ?? DEFAULT_MODEL;
    resolveHyper(getModel(model), a.preset, a.overrides ?? {});
    parseSplit(a.split ?? 'auto');
    const spec: RunSpec = {
      ...d, model, preset: a.preset, overrides: a.overrides ?? {},
      dataset: { train: path.resolve(a.train), test: a.test ? path.resolve(a.test) : undefined },
      split: a.split ?? 'auto', valFraction: a.valFraction ?? d.valFraction, seed: a.seed ?? d.seed, backend: a.backend ?? d.backend,
    };
    return submit(spec, { progress: a.progress });
  };

  const pickDataset = async (): Promise<string | undefined> => {
    const files = await vscode.workspace.findFiles(DATASET_GLOB, '{**/node_modules/**,**/.kernelrec/**}', 500);
    const items: (vscode.QuickPickItem & { file?: string })[] = files
      .map((u) => u.fsPath)
      .sort()
      .map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(path.dirname(f)), file: f }));
    items.push({ label: '$(folder-opened) Browse…', description: 'choose a ratings file anywhere' });
    const pick = await vscode.window.showQuickPick(items, { title: 'Kernel Rec Lab: Train on Dataset', placeHolder: 'Ratings file (MovieLens, CSV/TSV, Monti .mat)' });
    if (!pick) return undefined;
    if (pick.file) return pick.file;
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Train on this file', filters: { 'Ratings': ['data', 'base', 'test', 'dat', 'csv', 'tsv', 'txt', 'mat'], 'All files': ['*'] } });
    return uris?.[0]?.fsPath;
  };

  /** The palette flow: model → preset → split → backend (→ hyper-parameters), with Back on every step. */
  const trainInteractive = async (file: string) => {
    const key = `lastChoices:${file}`;
    const last = context.workspaceState.get<{ model: string; preset?: string; split: string; backend: BackendName; overrides: Hyper }>(key);
    const state = { model: last?.model ?? DEFAULT_MODEL, preset: last?.preset, split: last?.split ?? 'auto', backend: last?.backend ?? config().backend, overrides: last?.overrides ?? ({} as Hyper), custom: false };
    const title = `Train on ${path.basename(file)}`;
    type S = typeof state;
    const stepModel = async (s: S, input: MultiStepInput) => {
      const items: PickItem<string>[] = listModels().map((m) => ({ label: m.name, description: m.id, detail: `${m.description} — ${m.paper.authors}${m.paper.year ? `, ${m.paper.venue} ${m.paper.year}` : ''}`, value: m.id }));
      s.model = await input.pick('Model', items, s.model);
      return stepPreset;
    };
    const stepPreset = async (s: S, input: MultiStepInput) => {
      const def = getModel(s.model);
      const items: PickItem<string | undefined>[] = [
        { label: 'Model defaults', description: def.params.map((p) => `${p.key}=${p.default}`).join(' '), value: undefined },
        ...Object.entries(def.presets).map(([name, p]) => ({ label: name, description: p.description, detail: Object.entries(p.values).map(([k, v]) => `${k}=${v}`).join(' '), value: name })),
        { label: 'Custom…', description: 'edit hyper-parameters', value: '__custom__' },
      ];
      const v = await input.pick('Preset (paper settings per dataset)', items, s.preset);
      s.custom = v === '__custom__';
      s.preset = s.custom ? s.preset : v;
      return s.custom ? stepCustom : stepSplit;
    };
    const stepCustom = async (s: S, input: MultiStepInput) => {
      const def = getModel(s.model);
      const current = { ...resolveHyper(def, s.preset, {}), ...s.overrides };
      const text = await input.text(`Hyper-parameters as key=value, space separated (${def.params.map((p) => `${p.key}: ${p.description}`).join('; ')})`, def.params.map((p) => `${p.key}=${current[p.key]}`).join(' '), (v) => {
        try {
          parseOverrides(def.id, v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      });
      s.overrides = parseOverrides(def.id, text);
      return stepSplit;
    };
    const stepSplit = async (s: S, input: MultiStepInput) => {
      const items: PickItem<string>[] = [
        { label: 'auto', description: 'the dataset’s own test file if it has one, else a random 90/10 split', value: 'auto' },
        { label: 'given', description: 'train/test files (u1.base ↔ u1.test) or the .mat masks', value: 'given' },
        { label: 'random 90/10', description: 'random:0.1:1234', value: 'random:0.1:1234' },
        { label: 'random 80/20', description: 'random:0.2:1234', value: 'random:0.2:1234' },
        { label: '5-fold, fold 1', description: 'kfold:5:0:1234', value: 'kfold:5:0:1234' },
        { label: 'chronological 80/20', description: 'per user, latest 20% to test (needs timestamps)', value: 'chrono:0.2' },
      ];
      s.split = await input.pick('Split', items, s.split);
      return stepBackend;
    };
    const stepBackend = async (s: S, input: MultiStepInput) => {
      const items: PickItem<BackendName>[] = [
        { label: 'auto', description: 'tensorflow → webgpu (hardware) → cpu', value: 'auto' },
        { label: 'cpu', description: 'tfjs CPU, matmul on OpenBLAS when found', value: 'cpu' },
        { label: 'webgpu', description: 'Dawn / Vulkan / Metal / D3D12', value: 'webgpu' },
        { label: 'tensorflow', description: 'tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1)', value: 'tensorflow' },
      ];
      s.backend = await input.pick('Compute backend', items, s.backend);
      return undefined;
    };
    const ok = await MultiStepInput.run(title, 4, state, stepModel);
    if (!ok) return undefined;
    await context.workspaceState.update(key, { model: state.model, preset: state.preset, split: state.split, backend: state.backend, overrides: state.overrides });
    const d = defaultsSpec();
    return submit({ ...d, model: state.model, preset: state.preset, overrides: state.custom ? state.overrides : {}, dataset: { train: file }, split: state.split, backend: state.backend });
  };

  const pickRun = async (title: string, filter: (status: string) => boolean = () => true): Promise<string | undefined> => {
    const runs = store.list().filter((r) => filter(queue.activeRuns().find((a) => a.runId === r.record.id)?.status ?? r.record.status));
    if (runs.length === 0) {
      void show('info', 'Kernel Rec Lab: no matching runs.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({ label: `${r.record.spec.model} · ${r.record.datasetName}`, description: `${r.record.status}${r.summary ? ` · RMSE ${fmt(r.summary.rmse.valSelected)}` : ''}`, detail: r.record.id, id: r.record.id })), { title });
    return pick?.id;
  };

  const runIdOf = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return arg;
    const a = arg as { run?: { record?: { id?: string } }; runId?: string } | undefined;
    return a?.runId ?? a?.run?.record?.id;
  };

  const guard = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    vscode.commands.registerCommand(name, async (...a: A) => {
      try {
        return await fn(...a);
      } catch (e) {
        log.error(`${name}: ${(e as Error).stack ?? e}`);
        void show('error', `Kernel Rec Lab: ${(e as Error).message}`, 'Show Log').then((p) => p === 'Show Log' && log.show());
        return undefined;
      }
    });

  context.subscriptions.push(
    guard('kernelRecLab.train', async (arg?: vscode.Uri | TrainArgs) => {
      if (arg && !(arg instanceof vscode.Uri) && typeof (arg as TrainArgs).train === 'string') return { runId: trainFromArgs(arg as TrainArgs).runId };
      const file = arg instanceof vscode.Uri ? arg.fsPath : vscode.window.activeTextEditor && isDatasetName(vscode.window.activeTextEditor.document.fileName) && !arg ? vscode.window.activeTextEditor.document.fileName : await pickDataset();
      if (!file) return undefined;
      const r = await trainInteractive(file);
      return r ? { runId: r.runId } : undefined;
    }),
    guard('kernelRecLab.runExperimentFile', async (arg?: vscode.Uri | string) => {
      let file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : vscode.window.activeTextEditor?.document.fileName;
      if (!file || !file.endsWith('.krl.json')) {
        const files = await vscode.workspace.findFiles('**/*.krl.json', '**/node_modules/**', 100);
        const pick = await vscode.window.showQuickPick(files.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), file: u.fsPath })), { title: 'Run Experiment File' });
        file = pick?.file;
      }
      if (!file) return undefined;
      const d = defaultsSpec();
      const specs = loadExperiment(file, d).map((s) => ({ ...s, blasLibrary: d.blasLibrary, threads: d.threads }));
      const runIds = specs.map((s) => submit(s, { progress: false }).runId);
      void show('info', `Kernel Rec Lab: queued ${runIds.length} run(s) from ${path.basename(file)}.`);
      return { runIds };
    }),
    guard('kernelRecLab.cancelRun', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? (await pickRun('Cancel which run?', (s) => s === 'running' || s === 'queued'));
      if (!id) return false;
      const ok = queue.cancel(id);
      if (!ok) void show('warning', `Kernel Rec Lab: run ${id} is not running.`);
      return ok;
    }),
    guard('kernelRecLab.openResults', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? queue.activeRuns()[0]?.runId ?? store.list()[0]?.record.id;
      if (!id) {
        void show('info', 'Kernel Rec Lab: no runs yet. Use "Train on Dataset…" first.');
        return undefined;
      }
      return panels.openForRun(id);
    }),
    guard('kernelRecLab.showDatasetStatistics', async (arg?: vscode.Uri | string) => {
      const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : await pickDataset();
      if (!file) return undefined;
      const stats = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(file)}…` }, () =>
        datasetStatsInChild(file, { trainerPath: context.asAbsolutePath(path.join('dist', 'trainer.js')), nodePath: config().nodePath }));
      return panels.showDatasetStats(file, stats);
    }),
    guard('kernelRecLab.compareRuns', async (arg?: unknown, selected?: unknown[]) => {
      let ids = Array.isArray(arg) ? (arg as unknown[]).map(runIdOf).filter(Boolean) as string[] : Array.isArray(selected) ? selected.map(runIdOf).filter(Boolean) as string[] : [];
      if (ids.length < 2) {
        const runs = store.list().filter((r) => r.metrics !== undefined);
        const picks = await vscode.window.showQuickPick(runs.map((r) => ({ label: `${r.record.spec.model} · ${r.record.datasetName}`, description: `${r.record.status}${r.summary ? ` · RMSE ${fmt(r.summary.rmse.valSelected)}` : ''}`, detail: r.record.id, id: r.record.id, picked: ids.includes(r.record.id) })), { title: 'Compare runs', canPickMany: true });
        ids = picks?.map((p) => p.id) ?? [];
      }
      if (ids.length === 0) return undefined;
      return panels.compare(ids);
    }),
    guard('kernelRecLab.exportRun', async (arg?: unknown, opts?: { format?: 'csv' | 'json'; file?: string }) => {
      const a = arg as { runId?: string; format?: 'csv' | 'json'; file?: string } | undefined;
      const id = runIdOf(arg) ?? (await pickRun('Export which run?'));
      if (!id) return undefined;
      let format = opts?.format ?? a?.format;
      if (!format) {
        const f = await vscode.window.showQuickPick([{ label: 'Metrics CSV', v: 'csv' as const }, { label: 'Run JSON (record, summary, metrics)', v: 'json' as const }, { label: 'Chart PNG (from the results panel)', v: 'png' as const }], { title: 'Export format' });
        if (!f) return undefined;
        if (f.v === 'png') return panels.exportChartPng(id);
        format = f.v;
      }
      const run = store.load(id);
      let target = opts?.file ?? a?.file;
      if (!target) {
        const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(store.root), `${id}.${format}`)), filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] } });
        target = uri?.fsPath;
      }
      if (!target) return undefined;
      fs.writeFileSync(target, format === 'csv' ? metricsCsv(run) : runJson(run));
      void show('info', `Kernel Rec Lab: exported ${id} to ${target}`);
      return target;
    }),
    guard('kernelRecLab.rerun', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? (await pickRun('Rerun which run?'));
      if (!id) return undefined;
      const { record } = store.load(id);
      return { runId: submit(record.spec).runId };
    }),
    guard('kernelRecLab.deleteRun', async (arg?: unknown, opts?: { confirm?: boolean }) => {
      const id = runIdOf(arg) ?? (await pickRun('Delete which run?', (s) => s !== 'running' && s !== 'queued'));
      if (!id) return false;
      if (queue.isActive(id)) {
        void show('warning', `Kernel Rec Lab: cancel run ${id} before deleting it.`);
        return false;
      }
      const confirm = (opts?.confirm ?? (arg as { confirm?: boolean })?.confirm) !== false;
      if (confirm) {
        const ans = await vscode.window.showWarningMessage(`Delete run ${id} and its folder?`, { modal: true }, 'Delete');
        if (ans !== 'Delete') return false;
      }
      store.delete(id);
      panels.notifyRunDeleted(id);
      tree.refresh();
      return true;
    }),
    guard('kernelRecLab.revealRunFolder', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? (await pickRun('Reveal which run?'));
      if (!id) return undefined;
      const target = vscode.Uri.file(path.join(store.dirOf(id), 'run.json'));
      // revealFileInOS needs a local desktop; in a remote or web window reveal it in the Explorer instead
      await vscode.commands.executeCommand(vscode.env.remoteName || vscode.env.uiKind === vscode.UIKind.Web ? 'revealInExplorer' : 'revealFileInOS', target);
      return store.dirOf(id);
    }),
    guard('kernelRecLab.showLog', async (arg?: unknown) => {
      const id = runIdOf(arg);
      if (id) {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(store.dirOf(id), 'log.txt')));
        await vscode.window.showTextDocument(doc, { preview: true });
        return id;
      }
      log.show(true);
      return undefined;
    }),
    guard('kernelRecLab.refreshRuns', async () => {
      tree.refresh();
      return true;
    }),
  );

  return { store, queue, panels, tree, messages, train: trainFromArgs };
}

function isDatasetName(f: string): boolean {
  return /(^|[\\/])(u\.data|u[0-9ab]\.(base|test)|ratings\.(dat|csv))$|\.(csv|tsv|mat)$/i.test(f);
}

function parseOverrides(modelId: string, text: string): Hyper {
  const def = getModel(modelId);
  const out: Hyper = {};
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new Error(`"${tok}" is not key=value`);
    const k = tok.slice(0, eq);
    const spec = def.params.find((p) => p.key === k);
    if (!spec) throw new Error(`${def.id} has no parameter "${k}"`);
    out[k] = coerceParam(spec, tok.slice(eq + 1));
  }
  return out;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : '—';
}
