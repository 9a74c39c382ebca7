/**
 * One backend list and one set of limits for every way of starting a run (CLI flags, the palette, experiment
 * files, Rerun — through src/host/runSpecBuilder) and for the generated experiment schema. package.json's
 * settings schema says the same (a unit test checks that it does).
 */
import type { BackendName } from '../protocol/types';

/** The compute backends; `auto` tries the others in this order. */
export const BACKENDS: readonly BackendName[] = ['auto', 'tensorflow', 'webgpu', 'cpu'];

export const LIMITS = {
  /** Validation fraction carved from training: at most half of it. */
  valFraction: { min: 0, max: 0.5 },
  threads: { min: 1, max: 256 },
  minInteractions: { min: 0, max: 1_000_000 },
} as const;
