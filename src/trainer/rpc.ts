/** The JSON-RPC message objects of src/protocol/trainer.ts, shared by the trainer and the host's trainer client. */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { TrainerNotifications, TrainerRequests } from '../protocol/trainer';

const request = <K extends keyof TrainerRequests>(method: K) => new RequestType<TrainerRequests[K][0], TrainerRequests[K][1], void>(method);
const notification = <K extends keyof TrainerNotifications>(method: K) => new NotificationType<TrainerNotifications[K]>(method);

export const StartRunRequest = request('krl/startRun');
export const DatasetStatsRequest = request('krl/datasetStats');
export const LogNotification = notification('krl/log');
export const BackendNotification = notification('krl/backend');
export const DatasetNotification = notification('krl/dataset');
export const EpochNotification = notification('krl/epoch');
export const LossNotification = notification('krl/loss');
export const ArtifactNotification = notification('krl/artifact');
export const ProgressNotification = notification('krl/progress');
