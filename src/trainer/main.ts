/**
 * Trainer child process entry. Forked by the extension host (src/host/trainerClient.ts) with an IPC channel;
 * runs core's executeRun for one StartRun request and streams its events back as notifications.
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import {
  DatasetStatsRequest,
  ArtifactNotification, BackendNotification, DatasetNotification, EpochNotification, LogNotification, LossNotification,
  ProgressNotification, StartRunRequest,
} from './rpc';
import { executeRun, RunSink } from '../core/run';
import { setupBackend } from './backend';
import { loadDataset } from '../core/data/dataset';
import { computeStats, RatingMatrix } from '../core/data/ratingMatrix';

if (!process.send) {
  console.error('kernel-rec-lab trainer: must be started by the extension with an IPC channel (use the CLI for headless runs)');
  process.exit(2);
}

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));

connection.onRequest(StartRunRequest, async (params, token) => {
  const sink: RunSink = {
    log: (l) => void connection.sendNotification(LogNotification, l),
    backend: (b) => void connection.sendNotification(BackendNotification, b),
    dataset: (d) => void connection.sendNotification(DatasetNotification, d),
    epoch: (m) => void connection.sendNotification(EpochNotification, m),
    loss: (p) => void connection.sendNotification(LossNotification, p),
    artifact: (f) => void connection.sendNotification(ArtifactNotification, f),
    progress: (p) => void connection.sendNotification(ProgressNotification, p),
  };
  const result = await executeRun(params.spec, sink, {
    runId: params.runId,
    artifactsDir: params.artifactsDir,
    maxMemoryBytes: params.maxMemoryBytes,
    setupBackend,
    isCancelled: () => token.isCancellationRequested,
  });
  return result;
});

connection.onRequest(DatasetStatsRequest, async ({ file }) => {
  const ds = await loadDataset({ train: file });
  const all = ds.test ? RatingMatrix.concat([ds.train, ds.test]) : ds.train;
  return {
    name: ds.name, format: ds.format, files: ds.files, scale: ds.scale, warnings: ds.warnings,
    all: computeStats(all), train: computeStats(ds.train), test: ds.test ? computeStats(ds.test) : undefined,
    hasGraphs: { users: !!ds.userGraph, items: !!ds.itemGraph },
  };
});

process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches the whole process group: the CLI (our parent) decides — a JSON-RPC cancel, then a
// kill if the run does not stop in time — so the trainer does not die half-way through writing on its own.
process.on('SIGINT', () => undefined);
process.on('uncaughtException', (e) => {
  void connection.sendNotification(LogNotification, { level: 'error', message: `trainer crashed: ${e.stack ?? e.message}`, time: new Date().toISOString() });
  setTimeout(() => process.exit(1), 100);
});
connection.listen();
