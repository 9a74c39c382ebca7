/**
 * Messages between the extension host and the trainer child process (JSON-RPC over Node IPC, vscode-jsonrpc):
 * method names and parameter types only. The JSON-RPC message objects are built from these in
 * src/trainer/rpc.ts. One trainer process runs one run: the host sends `startRun` and receives notifications
 * until the request resolves. Cancellation is JSON-RPC's own ($/cancelRequest through a CancellationToken).
 */
import type { ArtifactFrame, BackendInfo, DatasetStats, EpochMetrics, LogLine, LossPoint, RunSpec, RunSummary } from './types';

export type { ArtifactFrame, BackendInfo, EpochMetrics, LogLine, LossPoint, RunSpec, RunSummary, DatasetStats };

export interface StartRunParams {
  runId: string;
  spec: RunSpec;
  /** The run's artifacts folder: the trainer writes full-resolution tensors there itself. */
  artifactsDir?: string;
  /** Memory limit in bytes for the run (setting kernelRecLab.maxMemoryGiB, CLI --max-memory); default 3/4 of the machine's. */
  maxMemoryBytes?: number;
}

export interface StartRunResult {
  summary: RunSummary;
  errorKind?: 'input' | 'runtime';
  stack?: string;
}

export interface DatasetInfoParams {
  name: string;
  format: string;
  stats: DatasetStats;
  fit: number;
  val: number;
  test: number;
  warnings: string[];
  files: { role: 'train' | 'test' | 'all'; path: string; sha256: string }[];
}

export interface ProgressParams {
  fraction: number;
  message: string;
}

export interface DatasetStatsParams {
  file: string;
}

export interface DatasetStatsResult {
  name: string;
  format: string;
  files: { role: string; path: string; sha256: string }[];
  all: DatasetStats;
  train: DatasetStats;
  test?: DatasetStats;
  scale: { min: number; max: number; step: number };
  warnings: string[];
  hasGraphs: { users: boolean; items: boolean };
  error?: string;
}

/** Method names: request → [params, result]; notification → params. */
export interface TrainerRequests {
  'krl/startRun': [StartRunParams, StartRunResult];
  /** Reads a dataset in the trainer process (never in the extension host) and returns its statistics. */
  'krl/datasetStats': [DatasetStatsParams, DatasetStatsResult];
}

export interface TrainerNotifications {
  'krl/log': LogLine;
  'krl/backend': BackendInfo;
  'krl/dataset': DatasetInfoParams;
  'krl/epoch': EpochMetrics;
  'krl/loss': LossPoint;
  'krl/artifact': ArtifactFrame;
  'krl/progress': ProgressParams;
}
