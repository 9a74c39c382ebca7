/**
 * Messages between the extension host and the trainer child process (JSON-RPC over Node IPC, vscode-jsonrpc).
 * One trainer process runs one run: the host sends `startRun` and receives notifications until the request
 * resolves. Cancellation is JSON-RPC's own ($/cancelRequest through a CancellationToken).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { BackendInfo, EpochMetrics, KernelSnapshot, LogLine, LossPoint, RunSpec, RunSummary } from '../core/types';
import type { DatasetStats } from '../core/data/ratingMatrix';

export type { BackendInfo, EpochMetrics, KernelSnapshot, LogLine, LossPoint, RunSpec, RunSummary, DatasetStats };

export interface StartRunParams {
  runId: string;
  spec: RunSpec;
  /** The run's artifacts folder: the trainer writes full-resolution tensors there itself. */
  artifactsDir?: string;
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

export const StartRunRequest = new RequestType<StartRunParams, StartRunResult, void>('krl/startRun');
export const LogNotification = new NotificationType<LogLine>('krl/log');
export const BackendNotification = new NotificationType<BackendInfo>('krl/backend');
export const DatasetNotification = new NotificationType<DatasetInfoParams>('krl/dataset');
export const EpochNotification = new NotificationType<EpochMetrics>('krl/epoch');
export const LossNotification = new NotificationType<LossPoint>('krl/loss');
export const SnapshotNotification = new NotificationType<KernelSnapshot>('krl/snapshot');
export const ProgressNotification = new NotificationType<ProgressParams>('krl/progress');

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

/** Reads a dataset in the trainer process (never in the extension host) and returns its statistics. */
export const DatasetStatsRequest = new RequestType<DatasetStatsParams, DatasetStatsResult, void>('krl/datasetStats');
