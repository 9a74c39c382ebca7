/**
 * *.krl.json experiment files: one or more run entries (model, preset, overrides, task, split, seeds, and for sweeps
 * grid / random / folds), expanded by the sweep engine (src/host/sweep.ts) into tagged run specs through the one
 * run-spec builder. The JSON schema that completes and validates these files is generated from the model catalogue
 * at build time (scripts/build.mjs → dist/experiment.schema.json). No vscode import.
 */
import type { RunSpec } from '../protocol/types';
import type { SpecDefaults } from './runSpecBuilder';
import { expandSweepFile, type ExpandedSweep } from './sweep';

/** Parses, validates and expands an experiment file; relative dataset paths resolve against the file. */
export function loadSweep(file: string, defaults: SpecDefaults): ExpandedSweep {
  return expandSweepFile(file, defaults);
}

/** The run specs of an experiment file, in expansion order. */
export function loadExperiment(file: string, defaults: SpecDefaults): RunSpec[] {
  return loadSweep(file, defaults).runs.map((r) => r.spec);
}
