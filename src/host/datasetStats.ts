/** Dataset statistics computed in a short-lived trainer process, so a large file never blocks the extension host. */
import { fork } from 'child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { DatasetStatsRequest, DatasetStatsResult } from '../protocol/trainer';

export async function datasetStatsInChild(file: string, opts: { trainerPath: string; nodePath?: string }): Promise<DatasetStatsResult> {
  const child = fork(opts.trainerPath, [], { execPath: opts.nodePath || process.execPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  conn.listen();
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dataset reader exited with code ${code}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`))));
  try {
    return await Promise.race([conn.sendRequest(DatasetStatsRequest, { file }), exited]);
  } finally {
    conn.dispose();
    child.kill();
  }
}
