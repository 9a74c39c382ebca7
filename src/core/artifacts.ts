/**
 * Artifacts: the named pictures a model declares (heatmap, line, scatter, table) and the helpers that build their
 * frames. Heatmap tensors are block-mean downsampled and 8-bit quantised (base64) to keep runs small (decoded by
 * the webview's tensorValues).
 */
import type { ArtifactData, ArtifactDecl, ArtifactFrame, HeatmapTensor, Phase } from '../protocol/types';

export const SNAPSHOT_MAX_SIDE = 128;

/** Block means of a row-major rows×cols matrix onto at most maxSide × maxSide cells. */
export function downsample(data: ArrayLike<number>, rows: number, cols: number, maxSide = SNAPSHOT_MAX_SIDE): { data: Float32Array; rows: number; cols: number } {
  const r = Math.min(rows, maxSide);
  const c = Math.min(cols, maxSide);
  if (r === rows && c === cols) return { data: Float32Array.from(data), rows, cols };
  const out = new Float32Array(r * c);
  const cnt = new Float32Array(r * c);
  for (let i = 0; i < rows; i++) {
    const bi = Math.min(r - 1, Math.floor((i * r) / rows));
    for (let j = 0; j < cols; j++) {
      const bj = Math.min(c - 1, Math.floor((j * c) / cols));
      out[bi * c + bj] += data[i * cols + j];
      cnt[bi * c + bj]++;
    }
  }
  for (let k = 0; k < out.length; k++) out[k] /= cnt[k] || 1;
  return { data: out, rows: r, cols: c };
}

/** A HeatmapTensor with values quantised to 0..255 between min and max (decoded by the panel). */
export function heatmapTensor(name: string, data: ArrayLike<number>, rows: number, cols: number, maxSide = SNAPSHOT_MAX_SIDE): HeatmapTensor {
  const d = downsample(data, rows, cols, maxSide);
  let min = Infinity;
  let max = -Infinity;
  for (const v of d.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) { min = 0; max = 0; }
  const span = max - min || 1;
  const q = new Uint8Array(d.data.length);
  for (let k = 0; k < q.length; k++) q[k] = Math.round(((d.data[k] - min) / span) * 255);
  return { name, rows: d.rows, cols: d.cols, fullRows: rows, fullCols: cols, data: [], min, max, q8: Buffer.from(q).toString('base64') };
}

// ---- the kernel autoencoders' pictures ---------------------------------------------------------------------------

/** What the kernel autoencoders capture per epoch (and what run folders before the artifact format stored). */
export interface KernelSnapshot {
  phase: Phase;
  epoch: number;
  globalEpoch: number;
  layers: { name: string; kernel: HeatmapTensor; weight?: HeatmapTensor; sparsity: number }[];
  globalKernel?: HeatmapTensor;
}

export const KERNEL_ARTIFACTS: ArtifactDecl[] = [
  { name: 'kernels', title: 'Kernel heatmaps', view: 'heatmap', description: 'K(U,V) and |W ⊙ K| of each layer (block means when downsampled)' },
  { name: 'sparsity', title: 'Kernel sparsity (% zero entries of K)', view: 'line' },
  { name: 'global kernel', title: 'Global kernel', view: 'heatmap', description: 'the fine-tuning convolution kernel built from the item means' },
];

/** A kernel snapshot as artifact frames: the per-layer heatmaps, the sparsity point per layer, the global kernel. */
export function kernelFrames(s: KernelSnapshot): ArtifactFrame[] {
  const at = { phase: s.phase, epoch: s.epoch, globalEpoch: s.globalEpoch };
  const kernels: ArtifactData = {
    view: 'heatmap',
    rowLabel: 'inputs i',
    colLabel: 'outputs j',
    panels: s.layers.flatMap((l) => [
      { group: l.name, variant: 'K(U,V)', tensor: l.kernel, range: [0, 1] as [number, number], note: `sparsity ${(l.sparsity * 100).toFixed(1)}% zeros` },
      ...(l.weight ? [{ group: l.name, variant: '|W ⊙ K|', tensor: l.weight, note: `sparsity of K ${(l.sparsity * 100).toFixed(1)}%` }] : []),
    ]),
  };
  const frames: ArtifactFrame[] = [
    { name: 'kernels', ...at, data: kernels },
    { name: 'sparsity', ...at, data: { view: 'line', xLabel: 'epoch', yLabel: '% zeros', yRange: [0, 100], integerX: true, points: s.layers.map((l) => ({ series: l.name, x: s.globalEpoch, y: l.sparsity * 100 })) } },
  ];
  if (s.globalKernel) frames.push({ name: 'global kernel', ...at, data: { view: 'heatmap', annotate: true, panels: [{ group: 'global kernel', variant: 'values', tensor: s.globalKernel }] } });
  return frames;
}
