/**
 * Kubernetes users' half of the sweep schedulers: an Indexed Job (batch/v1) over a sweep manifest, written to a file
 * (never applied). Only the CLI imports this (it carries the YAML writer, which the extension bundle does not need).
 */
import * as path from 'path';
import * as fs from 'fs';
import { stringify as yamlStringify } from 'yaml';
import type { SweepRun } from './sweep';
import { writeFileAtomic } from './runStore';
import type { Submission } from './scheduler';

export interface K8sOptions {
  image: string;
  /** PersistentVolumeClaim holding the workspace (datasets and the runs folder), mounted at mountPath. */
  pvc: string;
  mountPath: string;
  parallelism?: number;
  cpus?: number;
  gpus?: number;
  mem?: string;
  /** Node binary and CLI path inside the image. */
  node: string;
  cli: string;
  namespace?: string;
}

/** A Kubernetes Indexed Job (batch/v1) over a manifest: completion index i trains run i. */
export function k8sJob(name: string, manifest: string, runsDir: string, n: number, o: K8sOptions): Record<string, unknown> {
  const dns = `krl-${name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52) || 'krl-sweep';
  const resources: Record<string, Record<string, string | number>> = {};
  if (o.cpus || o.mem || o.gpus) {
    resources.requests = { ...(o.cpus ? { cpu: String(o.cpus) } : {}), ...(o.mem ? { memory: o.mem } : {}) };
    resources.limits = { ...(o.mem ? { memory: o.mem } : {}), ...(o.gpus ? { 'nvidia.com/gpu': String(o.gpus) } : {}) };
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: dns, ...(o.namespace ? { namespace: o.namespace } : {}), labels: { 'app.kubernetes.io/name': 'kernel-rec-lab', 'kernel-rec-lab/sweep': dns.slice(0, 63) } },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: Math.min(n, o.parallelism ?? n),
      backoffLimitPerIndex: 1,
      maxFailedIndexes: n,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'kernel-rec-lab' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'run',
            image: o.image,
            command: [o.node, o.cli, 'sweep-task', manifest, '--runs-dir', runsDir, ...(o.cpus ? ['--threads', String(o.cpus)] : [])],
            // no --index: sweep-task reads JOB_COMPLETION_INDEX, which Kubernetes sets in an Indexed Job's pods
            ...(Object.keys(resources).length ? { resources } : {}),
            volumeMounts: [{ name: 'workspace', mountPath: o.mountPath }],
          }],
          volumes: [{ name: 'workspace', persistentVolumeClaim: { claimName: o.pvc } }],
        },
      },
    },
  };
}

export function writeK8s(dir: string, manifest: string, runs: SweepRun[], name: string, runsDir: string, o: K8sOptions, out?: string): { file: string; job: Record<string, unknown> } {
  const job = k8sJob(name, manifest, runsDir, runs.length, o);
  const file = out ?? path.join(dir, 'job.yaml');
  fs.writeFileSync(file, `# kernel-rec-lab sweep --k8s: an Indexed Job, one completion index per run of ${manifest}\n# apply with: kubectl apply -f ${path.basename(file)}\n${yamlStringify(job)}`);
  const sub: Submission = { scheduler: 'k8s', submittedAt: new Date().toISOString(), dir, keys: runs.map((r) => r.tag.key) };
  writeFileAtomic(path.join(dir, 'submission.json'), JSON.stringify(sub, null, 1));
  return { file, job };
}

