/**
 * Messages between the extension host and the results panel webview (postMessage). The host owns all state:
 * it sends a full `snapshot` whenever the panel becomes visible or its run set changes, and throttled `epochs`
 * appends while training. The panel keeps nothing that matters. Metric columns, curves and pictures are built
 * from the definitions sent here (task metric definitions, declared artifacts): the panel has no model- or
 * metric-specific code.
 */
import type { ArtifactDecl, ArtifactFrame, BackendInfo, EpochMetrics, Hyper, MetricDef, MetricRecord, PaperNumbers, ResultColumnSpec, RunSpec, RunStatus, RunSummary, SelectionName, TaskDef } from './types';
import type { DatasetStatsResult } from './trainer';

export interface RunView {
  id: string;
  model: string;
  modelName: string;
  preset?: string;
  spec: RunSpec;
  status: RunStatus;
  summary?: RunSummary;
  metrics: EpochMetrics[];
  backend?: BackendInfo;
  /** The task the run is judged on, with its metric definitions. */
  task: TaskDef;
  /** The metric that selects (a)/(c). */
  selectBy: string;
  /** What the model calls an epoch ("epoch", "ensemble size", …). */
  epochAxis: string;
  /** The pictures the model declares. */
  artifacts: ArtifactDecl[];
  /** Divide the training loss by this to show it per rating (the fitted ratings for models whose loss is a sum; else 1). */
  lossDivisor: number;
  /** Tags and a free-text note the user keeps with the run (notes.json in its folder). */
  tags: string[];
  note?: string;
  paper?: PaperNumbers;
  createdAt: string;
}

export interface PanelState {
  /** The dataset this panel shows (panel title). */
  dataset: string;
  runs: RunView[];
  /** Runs whose curves are overlaid (table selection). */
  selected: string[];
  /** Run whose pictures are shown. */
  heatmapRun?: string;
  datasetStats?: DatasetStatsResult;
  /** The result table's metric columns, built by the host from the task definitions of the runs shown. */
  columns: ResultColumnSpec[];
  /** Which view opens first. */
  view: 'runs' | 'dataset' | 'sweep';
  /** The experiments table of a sweep (a sweep panel). */
  sweep?: SweepView;
}

/** One run of a sweep: its point, state and results. */
export interface SweepRowView {
  index: number;
  runId?: string;
  /** pending | slurm-pending | slurm-running | queued | running | completed | failed | cancelled | interrupted | corrupt */
  state: string;
  model: string;
  point: Hyper;
  seed: number;
  fold?: string;
  group: string;
  /** Validation value of the selection metric at the run's val-selected epoch. */
  val?: number;
  /** Test metrics at (a) val-selected, (b) last, (c) test-selected. */
  test: Partial<Record<SelectionName, MetricRecord>>;
  seconds?: number;
  error?: string;
}

export interface SweepGroupView {
  group: string;
  model: string;
  point: Hyper;
  n: number;
  done: number;
  val?: { mean: number; std: number };
  test: Record<string, Partial<Record<SelectionName, { mean: number; std: number }>>>;
  chosen: boolean;
}

export interface SweepView {
  id: string;
  name: string;
  file?: string;
  params: string[];
  /** The metric points are chosen on (validation). */
  metric: MetricDef;
  /** The task's metrics (columns at (a)/(b)/(c)). */
  metrics: MetricDef[];
  rows: SweepRowView[];
  groups: SweepGroupView[];
  chosen?: string;
  counts: Record<string, number>;
  /** sbatch is on the PATH (the panel offers Run on Slurm). */
  slurm: boolean;
}

export type HostToWebview =
  | { type: 'snapshot'; state: PanelState }
  | { type: 'epochs'; runId: string; metrics: EpochMetrics[]; status: RunStatus }
  | { type: 'runStatus'; runId: string; status: RunStatus; summary?: RunSummary }
  /** All artifact frames of a run (answer to requestArtifacts), or new frames of a live run (append: true). */
  | { type: 'artifacts'; runId: string; frames: ArtifactFrame[]; append?: boolean }
  | { type: 'requestPng' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'select'; runIds: string[] }
  | { type: 'heatmapRun'; runId: string }
  | { type: 'requestArtifacts'; runId: string }
  | { type: 'cancel'; runId: string }
  | { type: 'openLog'; runId: string }
  | { type: 'png'; dataUrl: string }
  | { type: 'consoleError'; message: string }
  /** Sweep panel actions. */
  | { type: 'sweepExportCsv' }
  | { type: 'sweepSavePreset' }
  | { type: 'sweepRunMissing'; slurm: boolean }
  | { type: 'sweepCancelAll' }
  | { type: 'openRun'; runId: string };
