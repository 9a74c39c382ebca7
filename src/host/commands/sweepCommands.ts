/**
 * Sweep commands: Run Experiment File (a sweep: the points not yet completed), Open Sweep…, Run Sweep on Slurm…
 * (offered when sbatch is on the PATH — a workspace extension, so over Remote-SSH on a login node too), Cancel
 * Sweep, Export Sweep as CSV, Save the Chosen Point as a Preset.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import type { Host } from '../activate';
import { loadSweep } from '../experimentFile';
import { listSweeps, pendingRuns, sweepCsv, sweepTable, type ExpandedSweep } from '../sweep';
import { config } from '../settings';
import { hasSbatch, submitSlurm, writeManifest } from '../scheduler';
import { presetsFile, saveUserPreset } from '../userPresets';

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function registerSweepCommands(host: Host): { runSweepFile: (file: string, opts?: { confirmOutside?: boolean; all?: boolean }) => Promise<{ runIds: string[]; sweepId: string; skipped: number } | undefined> } {
  const { store, queue, panels } = host;
  void vscode.commands.executeCommand('setContext', 'kernelRecLab.slurmAvailable', hasSbatch());

  const pickFile = async (title: string): Promise<string | undefined> => {
    const active = vscode.window.activeTextEditor?.document.fileName;
    if (active?.endsWith('.krl.json')) return active;
    const files = await vscode.workspace.findFiles('**/*.krl.json', '**/node_modules/**', 100);
    const pick = await vscode.window.showQuickPick(files.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), file: u.fsPath })), { title });
    return pick?.file;
  };

  /** A sweep id from an argument (id, file, Uri) or a pick among the sweeps in the runs folder. */
  const sweepOf = async (arg: unknown, title: string): Promise<ExpandedSweep | undefined> => {
    if (arg instanceof vscode.Uri || (typeof arg === 'string' && arg.endsWith('.json'))) return loadSweep(arg instanceof vscode.Uri ? arg.fsPath : (arg as string), host.defaults());
    let id = typeof arg === 'string' ? arg : undefined;
    if (!id) {
      const all = listSweeps(store);
      if (!all.length) {
        void host.show('info', 'Kernel Rec Lab: no sweeps in the runs folder yet. Add "grid", "seeds" or "folds" to an experiment file (*.krl.json) and run it.');
        return undefined;
      }
      id = (await vscode.window.showQuickPick(all.map((s) => ({ label: s.name, description: `${s.runs} run(s) · ${s.latest.replace('T', ' ').slice(0, 16)}`, id: s.id })), { title }))?.id;
    }
    return id ? panels.expandedSweep(id) : undefined;
  };

  const outsideOk = async (file: string, s: ExpandedSweep, confirm?: boolean): Promise<boolean> => {
    // a cloned repository's experiment file must not read files elsewhere on the machine unasked
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const inside = (p: string) => folders.some((f) => { const r = path.relative(f, p); return !!r && !r.startsWith('..') && !path.isAbsolute(r); });
    const outside = [...new Set(s.runs.flatMap((r) => [r.spec.dataset.train, r.spec.dataset.test]).filter((p): p is string => !!p && !inside(p)))];
    if (!outside.length || confirm === true) return true;
    const ans = await vscode.window.showWarningMessage(`${path.basename(file)} reads dataset files outside the workspace:\n${outside.slice(0, 5).join('\n')}${outside.length > 5 ? `\n… and ${outside.length - 5} more` : ''}\nRun it anyway?`, { modal: true }, 'Run');
    return ans === 'Run';
  };

  /** Queues the points of a sweep not completed (or every point with all: true). */
  const runSweepFile = async (file: string, opts: { confirmOutside?: boolean; all?: boolean } = {}) => {
    const s = loadSweep(file, host.defaults());
    if (!(await outsideOk(file, s, opts.confirmOutside))) return undefined;
    const todo = opts.all ? s.runs : pendingRuns(s, store);
    const skipped = s.runs.length - todo.length;
    const runIds = todo.map((r) => host.submit(r.spec, { progress: false, sweep: r.tag, quiet: s.runs.length > 1 }).runId);
    // bad input (a malformed dataset) fails every point alike: the first such failure cancels the rest of the sweep
    const mine = new Set(runIds);
    const onBadInput = (id: string, r: { errorKind?: string }) => {
      if (!mine.has(id) || r.errorKind !== 'input') return;
      queue.off('finished', onBadInput);
      for (const other of runIds) if (other !== id && queue.isActive(other)) queue.cancel(other);
    };
    if (runIds.length > 1) {
      queue.on('finished', onBadInput);
      const left = new Set(runIds);
      const onDone = (id: string) => {
        left.delete(id);
        if (!left.size) {
          queue.off('finished', onBadInput);
          queue.off('finished', onDone);
        }
      };
      queue.on('finished', onDone);
    }
    const swept = s.params.length > 0 || s.runs.some((r) => r.tag.fold !== undefined) || new Set(s.runs.map((r) => r.tag.group)).size < s.runs.length;
    if (swept) panels.openSweep(s.id);
    void host.show('info', `Kernel Rec Lab: ${path.basename(file)}: queued ${runIds.length} run(s)${skipped ? `; ${skipped} already completed or running (skipped)` : ''}.`);
    if (runIds.length > 1) {
      void Promise.all(runIds.map((id) => new Promise<string>((res) => {
        const on = (rid: string, r: { summary: { status: string } }) => { if (rid === id) { queue.off('finished', on); res(r.summary.status); } };
        queue.on('finished', on);
      }))).then((st) => {
        const bad = st.filter((x) => x !== 'completed').length;
        void host.show(bad ? 'warning' : 'info', `Kernel Rec Lab: sweep ${s.name}: ${st.length - bad} of ${st.length} run(s) completed${bad ? `, ${bad} did not (see the experiments table)` : ''}.`, 'Open Experiments Table').then((p) => p && panels.openSweep(s.id));
      });
    }
    return { runIds, sweepId: s.id, skipped };
  };

  host.context.subscriptions.push(
    host.guard('kernelRecLab.openSweep', async (arg?: unknown) => {
      const s = await sweepOf(arg, 'Open which sweep?');
      if (!s) return undefined;
      return panels.openSweep(s.id);
    }),
    host.guard('kernelRecLab.runSweep', async (arg?: unknown) => {
      if (!host.trusted('running sweeps')) return undefined;
      const s = await sweepOf(arg ?? (await pickFile('Run which sweep?')), 'Run which sweep?');
      if (!s) return undefined;
      if (!s.file || !fs.existsSync(s.file)) throw new Error(`the sweep's file ${s.file || '(unknown)'} is gone: rerun single runs from the runs list instead`);
      return runSweepFile(s.file);
    }),
    host.guard('kernelRecLab.runSweepOnSlurm', async (arg?: unknown) => {
      if (!host.trusted('submitting sweeps')) return undefined;
      if (!hasSbatch()) throw new Error('sbatch is not on the PATH: open the workspace on the cluster’s login node (Remote-SSH) to submit to Slurm');
      const s = await sweepOf(arg ?? (await pickFile('Submit which sweep to Slurm?')), 'Submit which sweep to Slurm?');
      if (!s) return undefined;
      const todo = pendingRuns(s, store);
      if (!todo.length) {
        void host.show('info', `Kernel Rec Lab: every run of ${s.name} is completed or running.`);
        return undefined;
      }
      const partition = await vscode.window.showInputBox({ title: `Slurm: ${todo.length} array task(s) for ${s.name}`, prompt: 'Partition (empty: the cluster default)', placeHolder: 'e.g. gpu' });
      if (partition === undefined) return undefined;
      const time = await vscode.window.showInputBox({ title: 'Slurm: time limit per task', prompt: 'HH:MM:SS or minutes (empty: the partition default)', placeHolder: '01:00:00' });
      if (time === undefined) return undefined;
      const gpus = await vscode.window.showQuickPick(['0', '1', '2', '4'], { title: 'Slurm: GPUs per task' });
      if (gpus === undefined) return undefined;
      const { dir, manifest } = writeManifest(store.root, { id: s.id, name: s.name, file: s.file }, todo, 'slurm');
      // the compute nodes need a real Node (VS Code's own binary is Electron): the setting, else `node` on their PATH
      const node = config().nodePath || (process.versions.electron ? 'node' : process.execPath);
      const sub = submitSlurm(dir, manifest, todo, s.id, store.root, { partition: partition || undefined, time: time || undefined, gpus: Number(gpus) || undefined, node, cli: host.context.asAbsolutePath(path.join('dist', 'cli.js')) });
      panels.openSweep(s.id);
      void host.show('info', `Kernel Rec Lab: submitted ${todo.length} task(s) of ${s.name} as Slurm job ${sub.jobId}.`);
      return sub;
    }),
    host.guard('kernelRecLab.cancelSweep', async (arg?: unknown) => {
      const s = await sweepOf(arg, 'Cancel which sweep?');
      if (!s) return 0;
      const keys = new Set(s.runs.map((r) => r.tag.key));
      let n = 0;
      for (const a of queue.activeRuns()) {
        const tag = store.open(a.runId).record.sweep;
        if (tag && tag.id === s.id && keys.has(tag.key) && queue.cancel(a.runId)) n++;
      }
      return n;
    }),
    host.guard('kernelRecLab.exportSweepCsv', async (arg?: unknown, target?: string) => {
      const s = await sweepOf(arg, 'Export which sweep?');
      if (!s) return undefined;
      const csv = sweepCsv(sweepTable(s, store));
      const file = target ?? (await vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, defaultUri: vscode.Uri.file(path.join(workspaceRoot() ?? store.root, `${s.id}.csv`)) }))?.fsPath;
      if (!file) return undefined;
      fs.writeFileSync(file, csv);
      return file;
    }),
    host.guard('kernelRecLab.saveSweepPreset', async (arg?: unknown, name?: string) => {
      const s = await sweepOf(arg, 'Save the chosen point of which sweep?');
      if (!s) return undefined;
      const t = sweepTable(s, store);
      const g = t.groups.find((x) => x.chosen);
      if (!g || !g.val) throw new Error(`sweep ${s.name} has no chosen point yet: a point needs all its runs completed`);
      const run = s.runs.find((r) => r.tag.group === g.group);
      const root = workspaceRoot();
      if (!run || !root) throw new Error('open a workspace folder to save presets in (.kernelrec/presets.json)');
      const preset = name ?? (await vscode.window.showInputBox({ title: 'Save the chosen point as a preset', prompt: `${g.model} ${Object.entries(g.point).map(([k, v]) => `${k}=${v}`).join(' ')} (validation ${t.metric.label} ${g.val.mean.toFixed(t.metric.digits)} ± ${g.val.std.toFixed(t.metric.digits)})`, value: `${s.id}-best`, validateInput: (v) => (/^[A-Za-z0-9._-]{1,60}$/.test(v) ? undefined : 'letters, digits, . _ - (up to 60)') }));
      if (!preset) return undefined;
      const file = presetsFile(root);
      saveUserPreset(file, preset, {
        model: g.model, preset: run.spec.preset, values: { ...run.spec.overrides },
        description: `chosen on validation ${t.metric.label} in sweep ${s.name}`,
        source: { sweep: s.id, metric: t.metric.key, val: g.val.mean, std: g.val.std, runs: g.done, savedAt: new Date().toISOString() },
      });
      void host.show('info', `Kernel Rec Lab: saved preset "${preset}" to ${vscode.workspace.asRelativePath(file)} — the palette and the CLI (--preset ${preset}) offer it.`);
      return { file, preset };
    }),
  );
  return { runSweepFile };
}
