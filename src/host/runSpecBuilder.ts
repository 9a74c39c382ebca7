/**
 * The one run-spec builder: the CLI's flags, the palette wizard, `*.krl.json` experiment files and Rerun all turn
 * what the user asked for into a RunSpec here — model + preset + `key=value` overrides (typed by the model's
 * schema) + task and selection metric + dataset + filter + split + validation + seed + backend — with one set of
 * limits and one backend list. Everything is validated before a run folder exists; errors are SpecErrors (bad
 * input: the CLI exits 2). No vscode import.
 */
import * as path from 'path';
import type { BackendName, Hyper, HyperValue, RunSpec, TaskId } from '../protocol/types';
import { getModel } from '../core/models/catalogue';
import { coerceParam, resolveHyper, type ModelInfo } from '../core/models/model';
import { parseSplit } from '../core/data/splits';
import { resolveTask } from '../core/tasks/resolve';
import { isTaskId, parseKs } from '../core/tasks/tasks';
import { BACKENDS, LIMITS } from '../core/limits';
import type { UserPresets } from './userPresets';

export class SpecError extends Error {
  readonly input = true;
}

export { BACKENDS, LIMITS };

export const FORMATS = ['auto', 'movielens', 'movielens-dat', 'csv', 'tsv', 'mat', 'yamanishi'] as const;


/** Defaults from the settings (extension) or the CLI's own. */
export interface SpecDefaults {
  valFraction: number;
  seed: number;
  backend: BackendName;
  threads?: number;
  blasLibrary?: string;
  /** The workspace's presets (.kernelrec/presets.json), usable wherever a model preset is. */
  userPresets?: UserPresets;
}

export const CLI_DEFAULTS: SpecDefaults = { valFraction: 0.05, seed: 1234, backend: 'auto' };

/** What a user asked for, from any front end. Strings are accepted where a front end has only text. */
export interface SpecRequest {
  model?: string;
  preset?: string;
  /** Typed overrides (experiment files) … */
  overrides?: Hyper;
  /** … and/or key=value texts (CLI --set, the palette), typed by the model's schema. */
  assignments?: string[];
  task?: string;
  select?: string;
  ks?: number[] | string;
  train: string;
  test?: string;
  format?: string;
  scale?: { min: number; max: number };
  split?: string;
  /** n (users and items), "u:i", or an object. */
  minInteractions?: number | string | { users: number; items: number };
  valFraction?: number | string;
  seed?: number | string;
  backend?: string;
  threads?: number | string;
  blasLibrary?: string;
  /** Relative dataset paths resolve against this folder (an experiment file's). */
  baseDir?: string;
  /** For messages: where the request came from (e.g. "exp.krl.json: runs[2]"). */
  where?: string;
}

/** Did-you-mean for a misspelt name. */
export function suggest(word: string, options: readonly string[]): string {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = options.map((o) => ({ o, d: dist(word.toLowerCase(), o.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best.o}"?)` : '';
}

/** Parses `key=value` texts into typed hyper-parameters by the model's schema (one parser for every front end). */
export function parseAssignments(model: Pick<ModelInfo, 'id' | 'params'>, pairs: string[]): Hyper {
  const out: Hyper = {};
  for (const tok of pairs) {
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new SpecError(`"${tok}" is not key=value`);
    const key = tok.slice(0, eq).trim();
    const spec = model.params.find((p) => p.key === key);
    if (!spec) throw new SpecError(`model ${model.id} has no parameter "${key}"${suggest(key, model.params.map((p) => p.key))} (parameters: ${model.params.map((p) => p.key).join(', ') || 'none'})`);
    try {
      out[key] = coerceParam(spec, tok.slice(eq + 1).trim());
    } catch (e) {
      throw new SpecError((e as Error).message);
    }
  }
  return out;
}

function numberIn(what: string, v: number | string | undefined, dflt: number, lo: number, hi: number, integer = false, hiOpen = false): number {
  if (v === undefined || v === '') return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < lo || (hiOpen ? n >= hi : n > hi)) {
    throw new SpecError(`${what} ${JSON.stringify(v)}: must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}${hiOpen ? ')' : ']'}`);
  }
  return n;
}

function parseMinInteractions(v: SpecRequest['minInteractions']): RunSpec['minInteractions'] {
  if (v === undefined || v === '') return undefined;
  const { min, max } = LIMITS.minInteractions;
  if (typeof v === 'object') return { users: numberIn('minimum interactions per user', v.users, 0, min, max, true), items: numberIn('minimum interactions per item', v.items, 0, min, max, true) };
  const parts = String(v).split(':');
  if (parts.length > 2) throw new SpecError(`minimum interactions "${v}": give n, or users:items`);
  const users = numberIn('minimum interactions per user', parts[0], 0, min, max, true);
  const items = numberIn('minimum interactions per item', parts[1] ?? parts[0], 0, min, max, true);
  return users > 0 || items > 0 ? { users, items } : undefined;
}

/** Builds and validates a RunSpec. Throws SpecError (or the model's own error for bad hyper-parameters) on bad input. */
export function buildRunSpec(req: SpecRequest, defaults: SpecDefaults = CLI_DEFAULTS): RunSpec {
  const where = req.where ? `${req.where}: ` : '';
  try {
    const modelId = req.model ?? 'glocal-k';
    let model: ModelInfo;
    try {
      model = getModel(modelId);
    } catch (e) {
      throw new SpecError(`${(e as Error).message}`);
    }
    let preset = req.preset;
    let fromUser: Hyper = {};
    if (preset !== undefined && !model.presets[preset]) {
      const up = defaults.userPresets?.[preset];
      const mine = Object.entries(defaults.userPresets ?? {}).filter(([, p]) => p.model === model.id).map(([k]) => k);
      if (!up) throw new SpecError(`model ${model.id} has no preset "${preset}"${suggest(preset, [...Object.keys(model.presets), ...mine])} (presets: ${Object.keys(model.presets).join(', ') || 'none'}${mine.length ? `; workspace presets: ${mine.join(', ')}` : ''})`);
      if (up.model !== model.id) throw new SpecError(`the workspace preset "${preset}" is for model ${up.model}, not ${model.id}`);
      if (up.preset !== undefined && !model.presets[up.preset]) throw new SpecError(`the workspace preset "${preset}" builds on "${up.preset}", which model ${model.id} does not have`);
      // a workspace preset = its paper preset + its values (the run records the values themselves)
      preset = up.preset;
      fromUser = up.values;
    }
    const overrides: Hyper = { ...fromUser, ...(req.overrides ?? {}), ...parseAssignments(model, req.assignments ?? []) };
    try {
      resolveHyper(model, preset, overrides);
    } catch (e) {
      throw new SpecError((e as Error).message);
    }
    if (req.task !== undefined && !isTaskId(req.task)) throw new SpecError(`unknown task "${req.task}"${suggest(req.task, ['rating', 'ranking', 'interaction'])} (tasks: rating, ranking, interaction)`);
    const task = req.task as TaskId | undefined;
    let ks: number[] | undefined;
    try {
      ks = req.ks === undefined ? undefined : Array.isArray(req.ks) ? parseKs(req.ks.join(',')) : parseKs(req.ks);
    } catch (e) {
      throw new SpecError((e as Error).message);
    }
    try {
      resolveTask(model, { task, select: req.select, ks });
    } catch (e) {
      throw new SpecError((e as Error).message);
    }
    const split = req.split ?? 'auto';
    try {
      parseSplit(split);
    } catch (e) {
      throw new SpecError((e as Error).message);
    }
    const format = (req.format ?? 'auto') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new SpecError(`format "${req.format}": use ${FORMATS.join(', ')}${suggest(String(req.format), FORMATS)}`);
    const backend = (req.backend ?? defaults.backend) as BackendName;
    if (!BACKENDS.includes(backend)) throw new SpecError(`backend "${req.backend}": use ${BACKENDS.join(', ')}${suggest(String(req.backend), BACKENDS)}`);
    if (!req.train) throw new SpecError('no dataset file given');
    const base = req.baseDir ?? process.cwd();
    const { min, max } = LIMITS.valFraction;
    const valFraction = numberIn('validation fraction', req.valFraction, defaults.valFraction, min, max);
    const seed = numberIn('seed', req.seed, defaults.seed, -(2 ** 31), 2 ** 31 - 1, true);
    const threads = req.threads === undefined || req.threads === '' ? defaults.threads : numberIn('threads', req.threads, 0, LIMITS.threads.min, LIMITS.threads.max, true);
    // interaction data are 0/1 matrices: zeros are entries, not gaps, so the scale must allow them
    const scale = req.scale ?? (task === 'interaction' ? { min: 0, max: 1 } : undefined);
    const spec: RunSpec = {
      model: model.id,
      preset,
      overrides,
      dataset: { train: path.resolve(base, req.train), test: req.test ? path.resolve(base, req.test) : undefined, format, ...(scale ? { scale } : {}) },
      split,
      valFraction,
      seed,
      backend,
    };
    if (task) spec.task = task;
    if (req.select) spec.select = req.select;
    if (ks) spec.ks = ks;
    const mi = parseMinInteractions(req.minInteractions);
    if (mi) spec.minInteractions = mi;
    if (threads) spec.threads = threads;
    if (defaults.blasLibrary) spec.blasLibrary = defaults.blasLibrary;
    return spec;
  } catch (e) {
    if (e instanceof SpecError && where) throw new SpecError(where + e.message);
    throw e;
  }
}

/**
 * A rerun's request from a stored spec: everything that describes the experiment, nothing that names code to load
 * (blasLibrary, threads and the Node binary come from this machine's settings, never from a run file).
 */
export function rerunRequest(spec: RunSpec): SpecRequest {
  return {
    model: spec.model, preset: spec.preset, overrides: spec.overrides as Record<string, HyperValue>, task: spec.task, select: spec.select, ks: spec.ks,
    train: spec.dataset.train, test: spec.dataset.test, format: spec.dataset.format, scale: spec.dataset.scale, split: spec.split,
    minInteractions: spec.minInteractions, valFraction: spec.valFraction, seed: spec.seed, backend: spec.backend,
  };
}
