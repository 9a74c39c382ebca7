/**
 * A real single-node Slurm cluster for the sweep tests: munged, slurmctld and slurmd on this machine with a config
 * written to a temporary folder (its own ports, state and spool), reached through SLURM_CONF. Needs root and
 * Debian's slurm-wlm + munge (.ci/run installs them); otherwise `skip` says why.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Cluster {
  env: NodeJS.ProcessEnv;
  dir: string;
  stop(): void;
}

const which = (cmd: string) => spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;

export function slurmSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'Slurm test: Linux only';
  if (process.getuid?.() !== 0) return 'Slurm test: needs root to start munged, slurmctld and slurmd (CI runs as root)';
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel'].filter((c) => !which(c) && !fs.existsSync(`/usr/sbin/${c}`));
  if (missing.length) return `Slurm test: ${missing.join(', ')} not installed (apt-get install slurm-wlm munge)`;
  return undefined;
}

function mungeWorks(): boolean {
  return spawnSync('bash', ['-c', 'munge -n | unmunge'], { stdio: 'ignore' }).status === 0;
}

export async function startCluster(): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-slurm-'));
  for (const d of ['state', 'spool', 'log']) fs.mkdirSync(path.join(dir, d));
  let startedMunge = false;
  if (!mungeWorks()) {
    fs.mkdirSync('/run/munge', { recursive: true });
    if (!fs.existsSync('/etc/munge/munge.key')) execFileSync('bash', ['-c', 'dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null && chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key']);
    spawnSync('chown', ['munge:munge', '/run/munge']);
    // munged refuses to run as root: as its own user where that exists, else --force
    const r = spawnSync('su', ['-s', '/bin/sh', 'munge', '-c', '/usr/sbin/munged'], { encoding: 'utf8' });
    if (r.status !== 0) spawnSync('/usr/sbin/munged', ['--force'], { encoding: 'utf8' });
    startedMunge = true;
    for (let i = 0; i < 50 && !mungeWorks(); i++) await new Promise((res) => setTimeout(res, 100));
    if (!mungeWorks()) throw new Error('munged did not start');
  }
  const host = os.hostname().split('.')[0];
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = path.join(dir, 'slurm.conf');
  fs.writeFileSync(conf, [
    'ClusterName=krltest', `SlurmctldHost=${host}`, 'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge', 'CryptoType=crypto/munge',
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'MpiDefault=none',
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`, `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`, `SlurmdLogFile=${dir}/log/slurmd.log`, `SlurmctldPort=${port}`, `SlurmdPort=${port + 1}`,
    'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none', 'ReturnToService=2',
    'SchedulerType=sched/backfill', 'SchedulerParameters=sched_interval=2', 'KillWait=10', 'MinJobAge=600',
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${os.cpus().length} State=UNKNOWN`,
    'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const stop = () => {
    for (const f of ['slurmd.pid', 'slurmctld.pid']) {
      try {
        process.kill(Number(fs.readFileSync(path.join(dir, f), 'utf8').trim()), 'SIGTERM');
      } catch {
        /* not running */
      }
    }
    if (startedMunge) spawnSync('bash', ['-c', 'pkill -x munged'], { stdio: 'ignore' });
  };
  const ctld = spawnSync(fs.existsSync('/usr/sbin/slurmctld') ? '/usr/sbin/slurmctld' : 'slurmctld', ['-c'], { env, encoding: 'utf8' });
  const d = spawnSync(fs.existsSync('/usr/sbin/slurmd') ? '/usr/sbin/slurmd' : 'slurmd', [], { env, encoding: 'utf8' });
  if (ctld.status !== 0 || d.status !== 0) {
    stop();
    throw new Error(`Slurm did not start: slurmctld ${ctld.status} ${ctld.stderr} slurmd ${d.status} ${d.stderr}`);
  }
  for (let i = 0; i < 100; i++) {
    const s = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' });
    if (s.status === 0 && /idle|mix/.test(s.stdout)) return { env, dir, stop };
    await new Promise((res) => setTimeout(res, 200));
  }
  const logs = ['slurmctld.log', 'slurmd.log'].map((f) => { try { return fs.readFileSync(path.join(dir, 'log', f), 'utf8').split('\n').slice(-5).join('\n'); } catch { return ''; } }).join('\n');
  stop();
  throw new Error(`the Slurm node did not become idle within 20 s:\n${logs}`);
}
