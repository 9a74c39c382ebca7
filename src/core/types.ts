/** Types shared by core, the trainer, the CLI and the host (and re-exported by src/protocol). Plain data only. */

export type BackendName = 'auto' | 'tensorflow' | 'webgpu' | 'cpu';
export type HyperValue = number | string | boolean;
export type Hyper = Record<string, HyperValue>;

/** Everything needed to reproduce a run. Stored as run.json (with results added by the run store). */
export interface RunSpec {
  model: string;
  preset?: string;
  /** Overrides on top of the model defaults and the preset. */
  overrides: Hyper;
  dataset: {
    train: string;
    test?: string;
    format?: 'auto' | 'movielens' | 'movielens-dat' | 'csv' | 'tsv' | 'mat';
    scale?: { min: number; max: number };
  };
  /** auto (given when the dataset has a test part, else random:0.1:1234) | given | random:<frac>:<seed> | kfold:<k>:<i>:<seed> | chrono:<frac> */
  split: string;
  /** Validation fraction carved from training (MODELS.md "Protocol"); default 0.05. */
  valFraction: number;
  seed: number;
  backend: BackendName;
  /** BLAS library path override and thread count (cpu backend). */
  blasLibrary?: string;
  threads?: number;
}

export interface BackendInfo {
  name: 'tensorflow' | 'webgpu' | 'cpu' | 'none';
  /** Device / adapter name, e.g. "OpenBLAS (2 threads)" or "NVIDIA H100". */
  device: string;
  blas: boolean;
  gpu: boolean;
  versions: Record<string, string>;
  /** Why other backends were skipped (for the run log). */
  skipped: string[];
}

export type Phase = 'train' | 'pretrain' | 'finetune';

export interface EpochMetrics {
  phase: Phase;
  /** 1-based epoch within the phase. */
  epoch: number;
  epochs: number;
  /** 1-based epoch over the whole run. */
  globalEpoch: number;
  trainLoss: number;
  trainRmse: number;
  valRmse: number;
  testRmse: number;
  testMae: number;
  seconds: number;
  iterations?: number;
  evaluations?: number;
}

export interface LossPoint {
  phase: Phase;
  step: number;
  loss: number;
}

/** A heatmap tensor: row-major, possibly downsampled (fullRows/fullCols give the original size). */
export interface HeatmapTensor {
  name: string;
  rows: number;
  cols: number;
  fullRows: number;
  fullCols: number;
  /** Plain values (small tensors such as the global kernel); empty when q8 is used. */
  data: number[];
  /** Values quantised to 0..255 over [min, max], base64 (large heatmaps). */
  q8?: string;
  min?: number;
  max?: number;
}

export interface KernelSnapshot {
  phase: Phase;
  epoch: number;
  globalEpoch: number;
  layers: { name: string; kernel: HeatmapTensor; weight?: HeatmapTensor; sparsity: number }[];
  globalKernel?: HeatmapTensor;
}

export interface MetricTriple {
  valSelected: number;
  last: number;
  testSelected: number;
}

export interface RunSummary {
  runId: string;
  model: string;
  dataset: string;
  backend: string;
  status: RunStatus;
  rmse: MetricTriple;
  mae: MetricTriple;
  /** Global epochs at which (a) and (c) were taken. */
  epochs: { valSelected: number; testSelected: number; last: number };
  paper?: { dataset: string; rmse: number; note?: string };
  trainRatings: number;
  valRatings: number;
  testRatings: number;
  seconds: number;
  error?: string;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  message: string;
  time: string;
}
