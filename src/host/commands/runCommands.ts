/** Commands that start or stop runs: Train on Dataset…, Run Experiment File, Cancel Run, Rerun. */
import * as vscode from 'vscode';
import * as path from 'path';
import type { BackendName, Hyper } from '../../protocol/types';
import type { Host } from '../activate';
import { DEFAULT_MODEL } from '../../core/models/catalogue';
import { buildRunSpec, rerunRequest } from '../runSpecBuilder';
import { isDatasetName, pickDataset, trainInteractive } from '../wizard';
import { pickRun, runIdOf } from './pick';

/** Arguments for kernelRecLab.train when called programmatically (no UI). */
export interface TrainArgs {
  train: string;
  test?: string;
  model?: string;
  preset?: string;
  task?: string;
  select?: string;
  split?: string;
  minInteractions?: number | string;
  backend?: BackendName;
  overrides?: Hyper;
  valFraction?: number;
  seed?: number;
  /** Show the progress notification (default true). */
  progress?: boolean;
}

export function registerRunCommands(host: Host, runSweepFile: (file: string, opts?: { confirmOutside?: boolean; all?: boolean }) => Promise<{ runIds: string[] } | undefined>) {
  const trainFromArgs = (a: TrainArgs) => {
    const spec = buildRunSpec({ model: a.model ?? DEFAULT_MODEL, preset: a.preset, overrides: a.overrides, task: a.task, select: a.select, train: a.train, test: a.test, split: a.split, minInteractions: a.minInteractions, valFraction: a.valFraction, seed: a.seed, backend: a.backend }, host.defaults());
    return host.submit(spec, { progress: a.progress });
  };

  host.context.subscriptions.push(
    host.guard('kernelRecLab.train', async (arg?: vscode.Uri | TrainArgs) => {
      if (!host.trusted('training')) return undefined;
      if (arg && !(arg instanceof vscode.Uri) && typeof (arg as TrainArgs).train === 'string') return { runId: trainFromArgs(arg as TrainArgs).runId };
      const active = vscode.window.activeTextEditor?.document.fileName;
      const file = arg instanceof vscode.Uri ? arg.fsPath : active && isDatasetName(active) && !arg ? active : await pickDataset();
      if (!file) return undefined;
      const r = await trainInteractive(host, file);
      return r ? { runId: r.runId } : undefined;
    }),
    host.guard('kernelRecLab.runExperimentFile', async (arg?: vscode.Uri | string, opts?: { confirmOutside?: boolean; all?: boolean }) => {
      if (!host.trusted('running experiment files')) return undefined;
      let file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : vscode.window.activeTextEditor?.document.fileName;
      if (!file || !file.endsWith('.krl.json')) {
        const files = await vscode.workspace.findFiles('**/*.krl.json', '**/node_modules/**', 100);
        const pick = await vscode.window.showQuickPick(files.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), file: u.fsPath })), { title: 'Run Experiment File' });
        file = pick?.file;
      }
      if (!file) return undefined;
      // through the sweep engine: a rerun of the file runs only the points not completed (opts.all: every point)
      const r = await runSweepFile(file, { confirmOutside: opts?.confirmOutside, all: opts?.all });
      return r ? { runIds: r.runIds } : undefined;
    }),
    host.guard('kernelRecLab.cancelRun', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? (await pickRun(host, 'Cancel which run?', (s) => s === 'running' || s === 'queued'));
      if (!id) return false;
      const ok = host.queue.cancel(id);
      if (!ok) void host.show('warning', `Kernel Rec Lab: run ${id} is not running.`);
      return ok;
    }),
    host.guard('kernelRecLab.rerun', async (arg?: unknown) => {
      if (!host.trusted('rerunning')) return undefined;
      const id = runIdOf(arg) ?? (await pickRun(host, 'Rerun which run?'));
      if (!id) return undefined;
      const { record } = host.store.load(id);
      // through the builder: the stored experiment, this machine's settings for everything that loads code
      return { runId: host.submit(buildRunSpec(rerunRequest(record.spec), host.defaults())).runId };
    }),
  );
  return { trainFromArgs };
}
