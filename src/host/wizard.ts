/**
 * The palette's training wizard: dataset → model → preset (or Custom… hyper-parameters) → task → split → backend,
 * with Back on every step and the last choices remembered per dataset. The answers go through the one run-spec
 * builder, like the CLI's flags and experiment files.
 */
import * as vscode from 'vscode';
import * as path from 'path';
import type { BackendName, Hyper, TaskId } from '../protocol/types';
import { listModels, getModel, DEFAULT_MODEL } from '../core/models/catalogue';
import { resolveHyper } from '../core/models/model';
import { getTask } from '../core/tasks/tasks';
import { MultiStepInput, PickItem } from './multiStep';
import { config } from './settings';
import { BACKENDS, buildRunSpec, parseAssignments } from './runSpecBuilder';
import type { Host } from './activate';

const DATASET_GLOB = '**/{u.data,u[0-9].base,u[0-9].test,ua.base,ua.test,ub.base,ub.test,ratings.dat,*.csv,*.tsv,*.mat}';

export function isDatasetName(f: string): boolean {
  return /(^|[\\/])(u\.data|u[0-9ab]\.(base|test)|ratings\.(dat|csv))$|\.(csv|tsv|mat)$/i.test(f);
}

export async function pickDataset(title = 'Kernel Rec Lab: Train on Dataset'): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(DATASET_GLOB, '{**/node_modules/**,**/.kernelrec/**}', 500);
  const items: (vscode.QuickPickItem & { file?: string })[] = files
    .map((u) => u.fsPath)
    .sort()
    .map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(path.dirname(f)), file: f }));
  items.push({ label: '$(folder-opened) Browse…', description: 'choose a ratings file anywhere' });
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Ratings file (MovieLens, CSV/TSV, Monti .mat)' });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this file', filters: { Ratings: ['data', 'base', 'test', 'dat', 'csv', 'tsv', 'txt', 'mat'], 'All files': ['*'] } });
  return uris?.[0]?.fsPath;
}

const BACKEND_HELP: Record<BackendName, string> = {
  auto: 'tensorflow → webgpu (hardware) → cpu',
  cpu: 'tfjs CPU, matmul on OpenBLAS when found',
  webgpu: 'Dawn / Vulkan / Metal / D3D12',
  tensorflow: 'tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1)',
};

/** The split pick that also filters users and items to ≥ 20 interactions (LEPORID's ranking protocol). */
const LEPORID_PROTOCOL = 'protocol:leporid';

interface Choices {
  model: string;
  preset?: string;
  task?: TaskId;
  split: string;
  backend: BackendName;
  overrides: Hyper;
}

/** The palette flow for one dataset file; returns the queued run, or undefined when the user backed out. */
export async function trainInteractive(host: Host, file: string) {
  const key = `lastChoices:${file}`;
  const last = host.context.workspaceState.get<Choices>(key);
  const state = { model: last?.model ?? DEFAULT_MODEL, preset: last?.preset, task: last?.task, split: last?.split ?? 'auto', backend: last?.backend ?? config().backend, overrides: last?.overrides ?? ({} as Hyper), custom: false };
  const title = `Train on ${path.basename(file)}`;
  type S = typeof state;
  const stepModel = async (s: S, input: MultiStepInput) => {
    const items: PickItem<string>[] = listModels().map((m) => ({ label: m.name, description: `${m.id} · ${m.tasks.join(', ')}`, detail: `${m.description} — ${m.paper.authors}${m.paper.year ? `, ${m.paper.venue} ${m.paper.year}` : ''}`, value: m.id }));
    const before = s.model;
    s.model = await input.pick('Model', items, s.model);
    if (s.model !== before) { s.preset = undefined; s.overrides = {}; s.task = undefined; }
    return stepPreset;
  };
  const stepPreset = async (s: S, input: MultiStepInput) => {
    const def = getModel(s.model);
    const items: PickItem<string | undefined>[] = [
      { label: 'Model defaults', description: def.params.map((p) => `${p.key}=${p.default}`).join(' '), value: undefined },
      ...Object.entries(def.presets).map(([name, p]) => ({ label: name, description: p.description, detail: Object.entries(p.values).map(([k, v]) => `${k}=${v}`).join(' '), value: name })),
    ];
    // the workspace's presets (.kernelrec/presets.json: saved from a sweep's experiments table)
    const mine = Object.entries(host.defaults().userPresets ?? {}).filter(([, p]) => p.model === def.id);
    for (const [name, p] of mine) items.push({ label: `$(bookmark) ${name}`, description: p.description ?? 'workspace preset', detail: `${p.preset ? `${p.preset} + ` : ''}${Object.entries(p.values).map(([k, v]) => `${k}=${v}`).join(' ')}`, value: `__user__:${name}` });
    if (def.params.length) items.push({ label: 'Custom…', description: 'edit hyper-parameters', value: '__custom__' });
    const v = await input.pick('Preset (paper settings per dataset)', items, s.preset);
    if (v?.startsWith('__user__:')) {
      const up = mine.find(([name]) => `__user__:${name}` === v)?.[1];
      if (up) {
        // a workspace preset = its paper preset + its values, passed as overrides
        s.preset = up.preset;
        s.overrides = { ...up.values };
        s.custom = true;
        return afterHyper(s);
      }
    }
    s.custom = v === '__custom__';
    s.preset = s.custom ? s.preset : v;
    return s.custom ? stepCustom : afterHyper(s);
  };
  /** The task step only for models that serve more than one task. */
  const afterHyper = (s: S) => (getModel(s.model).tasks.length > 1 ? stepTask : (s.task = undefined, stepSplit));
  /** Custom…: a form — every parameter with its value and meaning; pick one to edit it with its own validated input. */
  const stepCustom = async (s: S, input: MultiStepInput) => {
    const def = getModel(s.model);
    for (;;) {
      const current = { ...resolveHyper(def, s.preset, {}), ...s.overrides };
      const items: PickItem<string>[] = [
        { label: '$(check) Done', description: Object.keys(s.overrides).length ? `changed: ${Object.entries(s.overrides).map(([k, v]) => `${k}=${v}`).join(' ')}` : 'no changes', value: '__done__' },
        ...def.params.map((p) => ({ label: `${p.key} = ${current[p.key]}`, description: `${p.type}${p.options ? ` {${p.options.join(', ')}}` : p.min !== undefined || p.max !== undefined ? ` [${p.min ?? '−∞'}, ${p.max ?? '∞'}]` : ''}${s.overrides[p.key] !== undefined ? ' · changed' : ''}`, detail: p.description, value: p.key })),
      ];
      const key = await input.pick('Hyper-parameters: pick one to change it, then Done', items, '__done__');
      if (key === '__done__') return afterHyper(s);
      const spec = def.params.find((p) => p.key === key) as NonNullable<ReturnType<typeof def.params.find>>;
      let value: string | undefined;
      if (spec.type === 'enum' || spec.type === 'boolean') {
        const opts = spec.type === 'boolean' ? ['true', 'false'] : spec.options ?? [];
        value = (await vscode.window.showQuickPick(opts.map((o) => ({ label: o, picked: String(current[key]) === o })), { title: `${def.id}: ${key}`, placeHolder: spec.description }))?.label;
      } else {
        value = await vscode.window.showInputBox({
          title: `${def.id}: ${key}`, prompt: `${spec.description} (${spec.type}${spec.min !== undefined ? `, ≥ ${spec.min}` : ''}${spec.max !== undefined ? `, ≤ ${spec.max}` : ''}; default ${spec.default})`, value: String(current[key]),
          validateInput: (v) => {
            try {
              parseAssignments(def, [`${key}=${v}`]);
              return undefined;
            } catch (e) {
              return (e as Error).message;
            }
          },
        });
      }
      if (value !== undefined) s.overrides = { ...s.overrides, ...parseAssignments(def, [`${key}=${value}`]) };
    }
  };
  const stepTask = async (s: S, input: MultiStepInput) => {
    const def = getModel(s.model);
    const items: PickItem<TaskId>[] = def.tasks.map((t) => {
      const task = getTask(t);
      return { label: task.name, description: t, detail: `${task.description} — ${task.metrics.slice(0, 6).map((m) => m.label).join(', ')}${task.metrics.length > 6 ? ', …' : ''}`, value: t };
    });
    s.task = await input.pick('Task (how the model is judged)', items, s.task ?? def.tasks[0]);
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
      { label: 'chronological 70/10/20', description: 'per user by time: train, validation, test (the ranking protocol; needs timestamps)', value: 'chrono:0.7:0.1:0.2' },
      { label: 'LEPORID protocol', description: 'users and items with ≥ 20 interactions, then chronological 70/10/20 per user (needs timestamps)', value: LEPORID_PROTOCOL },
    ];
    s.split = await input.pick('Split', items, s.split);
    return stepBackend;
  };
  const stepBackend = async (s: S, input: MultiStepInput) => {
    const items: PickItem<BackendName>[] = BACKENDS.map((b) => ({ label: b, description: BACKEND_HELP[b], value: b }));
    s.backend = await input.pick('Compute backend', items, s.backend);
    return undefined;
  };
  // model, preset, split, backend; plus Custom… and the task step when they apply
  const ok = await MultiStepInput.run(title, () => 4 + (state.custom ? 1 : 0) + (getModel(state.model).tasks.length > 1 ? 1 : 0), state, stepModel);
  if (!ok) return undefined;
  await host.context.workspaceState.update(key, { model: state.model, preset: state.preset, task: state.task, split: state.split, backend: state.backend, overrides: state.overrides } satisfies Choices);
  // the LEPORID protocol is a split plus the minimum-interaction filter
  const protocol = state.split === LEPORID_PROTOCOL ? { split: 'chrono:0.7:0.1:0.2', minInteractions: 20 } : { split: state.split };
  const spec = buildRunSpec({ model: state.model, preset: state.preset, overrides: state.custom ? state.overrides : {}, task: state.task, train: file, ...protocol, backend: state.backend }, host.defaults());
  return host.submit(spec);
}
