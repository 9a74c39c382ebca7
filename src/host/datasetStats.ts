/** Dataset statistics computed in a short-lived trainer process, so a large file never blocks the extension host. */
import { DatasetStatsRequest } from '../trainer/rpc';
import type { DatasetStatsResult } from '../protocol/trainer';
import { forkTrainerProcess } from './processes';

export async function datasetStatsInChild(file: string, opts: { trainerPath: string; nodePath?: string }): Promise<DatasetStatsResult> {
  const { child, connection: conn } = forkTrainerProcess(opts, { stdout: 'ignore' });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  conn.listen();
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dataset reader exited with code ${code}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`))));
  try {
    return await Promise.race([conn.sendRequest(DatasetStatsRequest, { file }), exited]);
  } finally {
    conn.dispose();
    child.kill();
  }
}
