/**
 * Messages between the extension host and the results panel webview (postMessage). The host owns all state:
 * it sends a full `snapshot` whenever the panel becomes visible or its run set changes, and throttled `epochs`
 * appends while training. The panel keeps nothing that matters.
 */
import type { BackendInfo, EpochMetrics, KernelSnapshot, RunSpec, RunStatus, RunSummary } from '../core/types';
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
  paper?: { dataset: string; rmse: number; note?: string };
  createdAt: string;
}

export interface PanelState {
  /** The dataset this panel shows (panel title). */
  dataset: string;
  runs: RunView[];
  /** Runs whose curves are overlaid (table selection). */
  selected: string[];
  /** Run whose heatmaps are shown. */
  heatmapRun?: string;
  datasetStats?: DatasetStatsResult;
  /** Which view opens first. */
  view: 'runs' | 'dataset';
}

export type HostToWebview =
  | { type: 'snapshot'; state: PanelState }
  | { type: 'epochs'; runId: string; metrics: EpochMetrics[]; status: RunStatus }
  | { type: 'runStatus'; runId: string; status: RunStatus; summary?: RunSummary }
  | { type: 'snapshots'; runId: string; snapshots: KernelSnapshot[] }
  | { type: 'requestPng' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'select'; runIds: string[] }
  | { type: 'heatmapRun'; runId: string }
  | { type: 'requestSnapshots'; runId: string }
  | { type: 'cancel'; runId: string }
  | { type: 'openLog'; runId: string }
  | { type: 'png'; dataUrl: string }
  | { type: 'consoleError'; message: string };
