/**
 * What a model is (its catalogue entry: plain data the extension host, the CLI's `models` command and the
 * experiment-file schema read) and what its training code sees (TrainContext), kept apart so the extension bundle
 * carries descriptions only. Implementations are looked up by id in ./implementations (trainer and CLI only).
 */
import type { ArtifactDecl, ArtifactFrame, Hyper, HyperValue, MetricRecord, Phase, TaskId } from '../../protocol/types';
import type { Prng } from '../data/prng';
import type { SparseGraph } from '../data/matFile';
import type { EvalData, Predictor, SplitMetrics, UserScorer } from '../tasks/evaluators';

export type { Predictor, UserScorer };

/** One hyper-parameter of a model, with its schema (validated before a run starts). */
export interface ParamSpec {
  key: string;
  type: 'number' | 'integer' | 'boolean' | 'enum';
  default: HyperValue;
  description: string;
  min?: number;
  max?: number;
  options?: string[];
}

/** A paper's published numbers on a dataset, keyed by metric. */
export interface PaperResult {
  /** Dataset key: ml-100k, ml-1m, ml-10m, douban, flixster, synthetic-netflix, gpcr, … */
  dataset: string;
  metrics: MetricRecord;
  note?: string;
}

export interface Preset {
  description: string;
  values: Hyper;
  /** The dataset this preset reproduces (its paper numbers are the model's paperResults for that dataset). */
  dataset?: string;
}

export type ModelFamily = 'autoencoders' | 'factorization' | 'spectral' | 'ranking' | 'baselines';

/** A model's catalogue entry: everything but its training code. */
export interface ModelInfo {
  id: string;
  name: string;
  family: ModelFamily;
  /** One line for quick picks. */
  description: string;
  /** Tasks the model serves; the first is its default. */
  tasks: TaskId[];
  /** The metric that selects (a)/(c) for this model (default: the task's). */
  selectMetric?: string;
  /** What one "epoch" of this model is, for axes and tables (default "epoch"; LLORMA: "ensemble size"). */
  epochAxis?: string;
  paper: { title: string; authors: string; venue: string; year: number; note?: string };
  /** Where the port comes from: the authors' code, the paper alone, or a standard baseline. */
  source: { kind: 'reference-code' | 'paper' | 'baseline'; note?: string };
  params: ParamSpec[];
  presets: Record<string, Preset>;
  paperResults: PaperResult[];
  /** Named pictures the model's runs produce (rendered by the panel from their view kind). */
  artifacts?: ArtifactDecl[];
  /** Whether the model runs on tfjs (and so needs a backend). */
  usesTf: boolean;
  /** The reported training loss is a sum over ratings (the autoencoders) or a mean (default): the panel shows it per rating. */
  lossKind?: 'sum' | 'mean';
}

export interface EpochReport {
  phase: Phase;
  epoch: number;
  epochs: number;
  /** The optimised loss at the end of the epoch; undefined for closed-form models. */
  trainLoss?: number;
  iterations?: number;
  evaluations?: number;
  /** Predictions for (user, item) pairs (rating and interaction tasks; ranking when no scorer is given). */
  predict: Predictor;
  /** Scores of every item for given users (ranking); default: `predict` over all items. */
  scoreUsers?: UserScorer;
  /** Frames of the model's declared artifacts at this epoch (the harness gives the run-wide epoch number and the
   * metrics it just computed). */
  artifacts?: (at: { globalEpoch: number; metrics: SplitMetrics }) => Promise<ArtifactFrame[]> | ArtifactFrame[];
}

/** The parts a model trains on (fit) and is judged on (validation, test): the evaluators' data, plus the dataset's
 * user and item graphs when it brings them (Monti .mat files), in the same index order. */
export type TrainData = EvalData & { graphs?: { users?: SparseGraph; items?: SparseGraph } };

/** What a model sees while it trains. The run harness behind it evaluates, selects and streams. */
export interface TrainContext {
  data: TrainData;
  hp: Hyper;
  rng: Prng;
  /** tfjs namespace with the chosen backend set; undefined for pure-JS models. */
  tf?: typeof import('@tensorflow/tfjs');
  /** A folder for results worth keeping between runs (graph eigenbases): `.cache` in the runs folder; undefined: none. */
  cacheDir?: string;
  /** Threads a model may run on (the `threads` setting / --threads); undefined: all cores. */
  threads?: number;
  /** Reports the end of an epoch; the harness computes the task's metrics from `predict` / `scoreUsers` and returns
   * them (a model's own stop rule reads them instead of recomputing). */
  epochEnd(report: EpochReport): Promise<SplitMetrics>;
  /** A loss value inside an epoch (an optimiser iteration), for fine-grained curves. */
  lossPoint(phase: Phase, step: number, loss: number): void;
  log(message: string, level?: 'info' | 'warn' | 'debug'): void;
  /** Throws CancelledError when the run was cancelled; call at every iteration. */
  checkCancelled(): void;
  /** Total epochs over all phases, for progress. */
  setTotalEpochs(n: number): void;
  /** Writes binary artifacts (full-resolution kernels) into the run's artifacts folder, when there is one. */
  saveArtifacts?(files: { name: string; data: Uint8Array }[]): void;
}

/** A model's training code. */
export type TrainFn = (ctx: TrainContext) => Promise<void>;

export class CancelledError extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'CancelledError';
  }
}

/** Resolves defaults ← preset ← overrides and validates against the schema. */
export function resolveHyper(def: Pick<ModelInfo, 'id' | 'params' | 'presets'>, preset: string | undefined, overrides: Hyper): Hyper {
  const hp: Hyper = {};
  for (const p of def.params) hp[p.key] = p.default;
  if (preset) {
    const pr = def.presets[preset];
    if (!pr) throw new Error(`model ${def.id} has no preset "${preset}" (presets: ${Object.keys(def.presets).join(', ') || 'none'})`);
    Object.assign(hp, pr.values);
  }
  for (const [k, v] of Object.entries(overrides)) {
    const spec = def.params.find((p) => p.key === k);
    if (!spec) throw new Error(`model ${def.id} has no parameter "${k}" (parameters: ${def.params.map((p) => p.key).join(', ')})`);
    hp[k] = coerceParam(spec, v);
  }
  return hp;
}

export function coerceParam(spec: ParamSpec, v: HyperValue): HyperValue {
  const bad = (why: string) => new Error(`parameter ${spec.key}: ${JSON.stringify(v)} ${why}`);
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n = typeof v === 'number' ? v : Number(v);
      if (typeof v === 'boolean' || !Number.isFinite(n)) throw bad('is not a number');
      if (spec.type === 'integer' && !Number.isInteger(n)) throw bad('is not an integer');
      if (spec.min !== undefined && n < spec.min) throw bad(`is below the minimum ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw bad(`is above the maximum ${spec.max}`);
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      throw bad('is not true/false');
    case 'enum':
      if (!spec.options?.includes(String(v))) throw bad(`is not one of ${spec.options?.join(', ')}`);
      return String(v);
  }
}

export const num = (hp: Hyper, k: string): number => hp[k] as number;
