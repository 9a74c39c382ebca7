/**
 * Types shared by core, the trainer, the CLI, the host and the webview. Plain data declarations only: nothing here
 * is code, and nothing here imports from src/core (a unit test checks the import graph).
 */

export type BackendName = 'auto' | 'tensorflow' | 'webgpu' | 'cpu';
export type HyperValue = number | string | boolean;
export type Hyper = Record<string, HyperValue>;

// ---- tasks and metrics ------------------------------------------------------------------------------------------

/** What a dataset asks for and how a model is judged (src/core/tasks defines them). */
export type TaskId = 'rating' | 'ranking' | 'interaction';

/** One metric of a task, as data: every table, chart, export and summary builds its columns from these. */
export interface MetricDef {
  /** Key in metric records, e.g. "rmse", "hr@10", "auc". */
  key: string;
  /** Short label for column heads, e.g. "RMSE", "HR@10". */
  label: string;
  /** Unit shown after values, when there is one (e.g. "%"). */
  unit?: string;
  direction: 'lower' | 'higher';
  /** Decimal digits when formatting. */
  digits: number;
  /** Metrics of one family share a chart axis (e.g. "error", "hr", "auc"). */
  family: string;
  description: string;
}

export interface TaskDef {
  id: TaskId;
  name: string;
  description: string;
  metrics: MetricDef[];
  /** The metric that drives the (a)/(c) selection when neither the model nor the user names one. */
  defaultSelect: string;
}

/** Metric values keyed by MetricDef.key. A metric that could not be computed (empty split) is absent. */
export type MetricRecord = Record<string, number>;

// ---- datasets ---------------------------------------------------------------------------------------------------

/** Statistics of a rating matrix (computed by src/core/data/ratingMatrix). */
export interface DatasetStats {
  users: number;
  items: number;
  ratings: number;
  density: number;
  mean: number;
  /** Rating value → count (rounded to the scale step when there is one). */
  histogram: { value: number; count: number }[];
  /** Distribution of ratings per user: min, quartiles, max, mean. */
  perUser: { min: number; q1: number; median: number; q3: number; max: number; mean: number };
  perItem: { min: number; q1: number; median: number; q3: number; max: number; mean: number };
  /** Ratings-per-user histogram on roughly logarithmic buckets [lo, hi]. */
  perUserHistogram: { lo: number; hi: number; count: number }[];
  /** Users/items with no rating in the given matrix. */
  emptyUsers: number;
  emptyItems: number;
}

// ---- run specification ------------------------------------------------------------------------------------------

/** Everything needed to reproduce a run. Stored as run.json (with results added by the run store). */
export interface RunSpec {
  model: string;
  preset?: string;
  /** Overrides on top of the model defaults and the preset. */
  overrides: Hyper;
  /** The task the run is judged on; default: the model's first task. */
  task?: TaskId;
  /** The metric that selects (a) and (c); default: the model's, else the task's. */
  select?: string;
  /** Cut-offs k of the ranking metrics (default 1, 5, 10). */
  ks?: number[];
  dataset: {
    train: string;
    test?: string;
    format?: 'auto' | 'movielens' | 'movielens-dat' | 'csv' | 'tsv' | 'mat' | 'yamanishi';
    scale?: { min: number; max: number };
  };
  /**
   * auto (given when the dataset has a test part, else random:0.1:1234) | given | random:<frac>:<seed> |
   * kfold:<k>:<i>:<seed> | chrono:<test frac> | chrono:<train>:<val>:<test> (per user, by time; the middle part
   * is the validation split)
   */
  split: string;
  /** Keep only users and items with at least this many interactions (applied until stable) before splitting. */
  minInteractions?: { users: number; items: number };
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

/** A model's phase name: 'train', 'pretrain', 'finetune', 'ensemble', … */
export type Phase = string;

/** One epoch (or the model's own step: LLORMA's ensemble size) with its metrics on each split. */
export interface EpochMetrics {
  phase: Phase;
  /** 1-based epoch within the phase. */
  epoch: number;
  epochs: number;
  /** 1-based epoch over the whole run. */
  globalEpoch: number;
  trainLoss: number;
  train: MetricRecord;
  val: MetricRecord;
  test: MetricRecord;
  seconds: number;
  iterations?: number;
  evaluations?: number;
}

export interface LossPoint {
  phase: Phase;
  step: number;
  loss: number;
}

// ---- model-declared pictures (artifacts) ---------------------------------------------------------------------------

export type ArtifactViewKind = 'heatmap' | 'line' | 'scatter' | 'table';

/** A named view a model declares in the catalogue; the panel renders its frames without model-specific code. */
export interface ArtifactDecl {
  name: string;
  title: string;
  view: ArtifactViewKind;
  description?: string;
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

export type ArtifactData =
  | {
      view: 'heatmap';
      /**
       * One picture per (group, variant), e.g. (layer 1, K(U,V)) and (layer 1, |W ⊙ K|); `range` fixes the colour
       * scale (e.g. [0, 1] for kernel values), else the tensor's min/max is used.
       */
      panels: { group: string; variant: string; tensor: HeatmapTensor; note?: string; range?: [number, number] }[];
      /** Axis names of rows and columns. */
      rowLabel?: string;
      colLabel?: string;
      /** Write each value into its cell (small matrices). */
      annotate?: boolean;
    }
  | {
      view: 'line';
      /** Points of this frame; the panel draws the points of all frames of the artifact together. */
      points: { series: string; x: number; y: number }[];
      xLabel: string;
      yLabel: string;
      yRange?: [number, number];
      /** Integer x values (epochs). */
      integerX?: boolean;
    }
  | {
      view: 'scatter';
      points: { x: number; y: number; value?: number; label?: string }[];
      xLabel: string;
      yLabel: string;
      valueLabel?: string;
      /** Points with value ≤ maxValue can be highlighted (the panel offers a switch named by label). */
      highlight?: { maxValue: number; label: string };
    }
  | {
      view: 'table';
      columns: string[];
      rows: (string | number)[][];
      /** Rows add up over frames (a per-epoch log) instead of the latest frame replacing the others. */
      append?: boolean;
    };

/** One frame of an artifact, at an epoch. Stored in artifacts/frames.jsonl, streamed to the panel. */
export interface ArtifactFrame {
  name: string;
  phase: Phase;
  epoch: number;
  globalEpoch: number;
  data: ArtifactData;
}

// ---- results ----------------------------------------------------------------------------------------------------

/** All metric records of one epoch the selection picked. */
export interface SelectedEpoch {
  globalEpoch: number;
  /** Optimiser iterations at that evaluation, when the model counts them. */
  iterations?: number;
  train: MetricRecord;
  val: MetricRecord;
  test: MetricRecord;
}

export type SelectionName = 'valSelected' | 'last' | 'testSelected';

/**
 * A result-table column as data, built from a task's metric definitions (src/core/tasks/format): a metric's value at
 * one selection, the paper's number of the selection metric, or the difference (c) − paper.
 */
export interface ResultColumnSpec {
  key: string;
  head: string;
  title: string;
  task: TaskId;
  metric: string;
  kind: 'metric' | 'paper' | 'delta';
  which?: SelectionName;
  digits: number;
  direction: 'lower' | 'higher';
}

/** The paper's published numbers for a dataset (and split), keyed by metric. */
export interface PaperNumbers {
  dataset: string;
  metrics: MetricRecord;
  note?: string;
}

export interface RunSummary {
  runId: string;
  model: string;
  dataset: string;
  backend: string;
  status: RunStatus;
  task: TaskId;
  /** The metric that chose (a) (on validation) and (c) (on test). */
  selectBy: string;
  /**
   * (a) valSelected: the epoch with the best validation value of `selectBy`; (b) last; (c) testSelected: the best
   * test value of `selectBy` ("test-selected, paper protocol"). Absent before the first epoch.
   */
  selection: Partial<Record<SelectionName, SelectedEpoch>>;
  paper?: PaperNumbers;
  trainRatings: number;
  valRatings: number;
  testRatings: number;
  seconds: number;
  error?: string;
}

/** `corrupt`: a run folder whose files could not be read (listed with the reason, never hidden). */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'corrupt';

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  message: string;
  time: string;
}
