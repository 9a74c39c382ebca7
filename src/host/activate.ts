/**
 * Activation: wires the run store, queue, trainer, sidebar, status bar and results panels, then registers the
 * command groups (./commands/*). The training wizard lives in ./wizard. Commands accept arguments so they can be
 * driven programmatically (tests, keybindings) as well as from the UI.
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
import { registerSweepCommands } from './commands/sweepCommands';
import { loadUserPresets, presetsFile, type UserPresets } from './userPresets';
import type { SweepTag } from './sweep';
import { hasSbatch } from './scheduler';
import { datasetName } from '../core/data/names';
import { headline } from '../core/tasks/format';
import type { RunSpec } from '../protocol/types';
import type { StartRunResult } from '../protocol/trainer';
import type { SpecDefaults } from './runSpecBuilder';
import { registerRunCommands, type TrainArgs } from './commands/runCommands';
import { registerResultCommands } from './commands/resultCommands';
import { registerRunFileCommands } from './commands/runFileCommands';

export type { TrainArgs };

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

/** The host's parts, shared by the command groups and the wizard. */
export interface Host {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  store: RunStore;
  queue: RunQueue;
  tree: RunsTree;
  panels: ResultsPanels;
  messages: KernelRecLabApi['messages'];
  trainerPath: string;
  show(kind: 'error' | 'info' | 'warning', text: string, ...actions: string[]): Thenable<string | undefined>;
  /** Settings as run-spec defaults. */
  defaults(): SpecDefaults;
  /** Queues a run, shows progress with cancel, and reports the outcome with Show Log / Retry. */
  submit(spec: RunSpec, opts?: { progress?: boolean; sweep?: SweepTag; quiet?: boolean }): { runId: string; done: Promise<StartRunResult> };
  /** Registers a command whose errors are shown (with Show Log) instead of thrown. */
  guard<A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>): vscode.Disposable;
  /** False (with a message) in Restricted Mode: browsing runs works there, training and native code do not. */
  trusted(what: string): boolean;
}

export function activateHost(context: vscode.ExtensionContext): KernelRecLabApi {
  const log = vscode.window.createOutputChannel('Kernel Rec Lab', { log: true });
  const store = new RunStore(runsRoot(context));
  const version = (context.extension.packageJSON as { version: string }).version;
  const trainerPath = context.asAbsolutePath(path.join('dist', 'trainer.js'));
  const queue = new RunQueue(
    store,
    () => {
      const c = config();
      return { trainerPath, nodePath: c.nodePath, execArgv: c.trainerMemoryMB > 0 ? [`--max-old-space-size=${c.trainerMemoryMB}`] : [], maxMemoryBytes: c.maxMemoryGiB > 0 ? c.maxMemoryGiB * 2 ** 30 : undefined };
    },
    () => config().maxConcurrentRuns,
    { extension: version, vscode: vscode.version },
  );
  const messages: KernelRecLabApi['messages'] = [];
  const tree = new RunsTree(store, queue);
  const status = new StatusBar(queue);
  const panels = new ResultsPanels(context, store, queue, () => host.defaults());
  tree.sweepSource = (id) => panels.sweepView(id);
  // sweeps on Slurm: the array tasks' states every 10 s (squeue, asynchronous), for the sidebar and open tables
  if (hasSbatch()) {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      void panels.pollSlurm().then((changed) => changed && tree.refreshSoon()).finally(() => (busy = false));
    }, 10_000);
    context.subscriptions.push({ dispose: () => clearInterval(t) });
  }
  context.subscriptions.push(log, tree, status, panels, vscode.window.registerTreeDataProvider('kernelRecLab.runs', tree));
  context.subscriptions.push({ dispose: () => queue.cancelAll() });

  queue.on('log', (id, l) => {
    const text = `[${id}] ${l.message}`;
    if (l.level === 'error') log.error(text);
    else if (l.level === 'warn') log.warn(text);
    else if (l.level === 'debug') log.debug(text);
    else log.info(text);
  });

  // a run on the cpu backend without BLAS: say so once per session, with the install line
  let warnedNoBlas = false;
  queue.on('backend', (_id, b) => {
    if (b.name !== 'cpu' || b.blas || warnedNoBlas || b.device.startsWith('plain TypeScript')) return;
    warnedNoBlas = true;
    void show('warning', 'Kernel Rec Lab: no BLAS library found — the cpu backend runs its matrix products in JavaScript, about 25× slower. Install OpenBLAS (Debian/Ubuntu: sudo apt-get install -y libopenblas0-pthread) or set kernelRecLab.blasLibrary.');
  });

  const show: Host['show'] = (kind, text, ...actions) => {
    messages.push({ kind, text });
    if (messages.length > 100) messages.shift();
    const fn = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return fn(text, ...actions);
  };

  const host: Host = {
    context, log, store, queue, tree, panels, messages, trainerPath, show,
    defaults: () => {
      const c = config();
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      let userPresets: UserPresets = {};
      try {
        userPresets = root ? loadUserPresets(presetsFile(root)) : {};
      } catch (e) {
        log.warn(`workspace presets ignored: ${(e as Error).message}`);
      }
      return { valFraction: c.validationFraction, seed: c.seed, backend: c.backend, blasLibrary: c.blasLibrary, threads: c.threads, userPresets };
    },
    submit: (spec, opts = {}) => {
      const label = datasetName(spec.dataset.train, spec.dataset.test);
      const { runId, done } = queue.submit(spec, label, opts.sweep);
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
        // a sweep's runs report once, together (sweepCommands); a failure is still said with its cause
        if (opts.quiet && s.status !== 'failed') return;
        if (s.status === 'completed') {
          const pick = await show('info', `${spec.model} on ${label}: test ${headline(s)} (validation-selected) in ${s.seconds.toFixed(1)} s`, 'Open Results');
          if (pick === 'Open Results') await vscode.commands.executeCommand('kernelRecLab.openResults', runId);
        } else if (s.status === 'failed' && r.errorKind === 'input' && !fs.existsSync(store.dirOf(runId))) {
          // bad input: no run folder was kept; the message says what to fix, the output channel has the log
          const pick = await show('error', `${spec.model} on ${label}: ${s.error ?? 'bad input'}`, 'Show Output', 'Retry');
          if (pick === 'Show Output') log.show(true);
          if (pick === 'Retry') host.submit(spec, opts);
        } else if (s.status === 'failed') {
          const pick = await show('error', `${spec.model} on ${label} failed: ${s.error ?? 'unknown error'}`, 'Show Log', 'Retry');
          if (pick === 'Show Log') await vscode.commands.executeCommand('kernelRecLab.showLog', runId);
          if (pick === 'Retry') host.submit(spec, opts);
        } else if (s.status === 'cancelled') {
          void show('info', `${spec.model} on ${label} was cancelled; its log and metrics so far are kept.`);
        }
      });
      return { runId, done };
    },
    trusted: (what) => {
      if (vscode.workspace.isTrusted) return true;
      void show('warning', `Kernel Rec Lab: this workspace is in Restricted Mode, so ${what} is off (it would run a trainer process and native code). Trust the workspace to use it; browsing runs and results works as it is.`);
      return false;
    },
    guard: (name, fn) =>
      vscode.commands.registerCommand(name, async (...a: Parameters<typeof fn>) => {
        try {
          return await fn(...a);
        } catch (e) {
          log.error(`${name}: ${(e as Error).stack ?? e}`);
          void show('error', `Kernel Rec Lab: ${(e as Error).message}`, 'Show Log').then((p) => p === 'Show Log' && log.show());
          return undefined;
        }
      }),
  };

  const { runSweepFile } = registerSweepCommands(host);
  const { trainFromArgs } = registerRunCommands(host, runSweepFile);
  registerResultCommands(host);
  registerRunFileCommands(host);
  return { store, queue, panels, tree, messages, train: trainFromArgs };
}
