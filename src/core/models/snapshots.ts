/** Heatmap tensors for the panel: block-mean downsampling and 8-bit quantisation (base64) to keep runs small (decoded by the webview's tensorValues). */
import type { HeatmapTensor } from '../types';

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
