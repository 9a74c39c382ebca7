import type { Hyper, HyperValue, KernelSnapshot, Phase } from '../types';
import type { RatingMatrix, RatingScale } from '../data/ratingMatrix';
import type { Prng } from '../data/prng';

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

export interface PaperResult {
  /** Dataset key: ml-100k, ml-1m, ml-10m, douban, flixster, synthetic-netflix. */
  dataset: string;
  rmse: number;
  note?: string;
}

export interface Preset {
  description: string;
  values: Hyper;
  /** The dataset this preset reproduces (for the paper comparison). */
  dataset?: string;
}

/** Predicts ratings for (user, item) index pairs. May be async (GPU readbacks are). */
export type Predictor = (users: Int32Array, items: Int32Array) => Float32Array | Promise<Float32Array>;

export interface EpochReport {
  phase: Phase;
  epoch: number;
  epochs: number;
  /** The optimised loss at the end of the epoch; undefined for closed-form models. */
  trainLoss?: number;
  iterations?: number;
  evaluations?: number;
  predict: Predictor;
  snapshot?: () => Promise<Omit<KernelSnapshot, 'phase' | 'epoch' | 'globalEpoch'>> | Omit<KernelSnapshot, 'phase' | 'epoch' | 'globalEpoch'>;
}

export interface TrainData {
  fit: RatingMatrix;
  val: RatingMatrix;
  test: RatingMatrix;
  nUsers: number;
  nItems: number;
  scale: RatingScale;
}

/** What a model sees while it trains. The run harness behind it evaluates, selects and streams. */
export interface TrainContext {
  data: TrainData;
  hp: Hyper;
  rng: Prng;
  /** tfjs namespace with the chosen backend set; undefined for pure-JS models. */
  tf?: typeof import('@tensorflow/tfjs');
  /** Reports the end of an epoch; the harness computes train/val/test metrics from `predict`. */
  epochEnd(report: EpochReport): Promise<void>;
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

export interface ModelDefinition {
  id: string;
  name: string;
  /** One line for quick picks. */
  description: string;
  paper: { title: string; authors: string; venue: string; year: number; note?: string };
  params: ParamSpec[];
  presets: Record<string, Preset>;
  paperResults: PaperResult[];
  /** Whether the model runs on tfjs (and so needs a backend). */
  usesTf: boolean;
  train(ctx: TrainContext): Promise<void>;
}

export class CancelledError extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'CancelledError';
  }
}

/** Resolves defaults ← preset ← overrides and validates against the schema. */
export function resolveHyper(def: ModelDefinition, preset: string | undefined, overrides: Hyper): Hyper {
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
