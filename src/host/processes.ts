/**
 * The one place the host starts child processes: the trainer bundle (dist/trainer.js) forked with the extension
 * host's Node (Electron run as Node) or the configured Node binary, with a JSON-RPC connection over its IPC
 * channel. Training runs (./trainerClient) and dataset statistics (./datasetStats) both start theirs here.
 * No vscode import.
 */
import { fork, ChildProcess } from 'child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';

export interface TrainerProcessOptions {
  /** Path of the trainer bundle (dist/trainer.js). */
  trainerPath: string;
  /** Node binary; default: this process's executable (Electron in VS Code, run as Node). */
  nodePath?: string;
  /** Extra arguments for Node (e.g. --max-old-space-size). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface TrainerProcess {
  child: ChildProcess;
  connection: MessageConnection;
}

/** Forks a trainer process and opens (and starts listening on) its JSON-RPC connection. */
export function forkTrainerProcess(opts: TrainerProcessOptions, stdio: { stdout: 'pipe' | 'ignore' } = { stdout: 'pipe' }): TrainerProcess {
  const child = fork(opts.trainerPath, [], {
    execPath: opts.nodePath || process.execPath,
    execArgv: opts.execArgv ?? [],
    env: { ...process.env, ...opts.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', stdio.stdout, 'pipe', 'ipc'],
  });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.onError(() => undefined);
  return { child, connection };
}
