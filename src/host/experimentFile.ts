/**
 * *.krl.json experiment files: one or more runs (model, preset, overrides, task, split, seeds), each turned into
 * run specs by the one run-spec builder. The JSON schema that completes and validates these files is generated
 * from the model catalogue at build time (scripts/build.mjs → dist/experiment.schema.json). No vscode import.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BackendName, Hyper, RunSpec } from '../protocol/types';
import { buildRunSpec, SpecDefaults, SpecError } from './runSpecBuilder';

export interface ExperimentRun {
  name?: string;
  model: string;
  preset?: string;
  overrides?: Hyper;
  task?: string;
  select?: string;
  ks?: number[];
  dataset?: string;
  test?: string;
  split?: string;
  minInteractions?: number | { users: number; items: number };
  seeds?: number[];
  valFraction?: number;
  backend?: BackendName;
}

export interface ExperimentFile {
  dataset?: string;
  test?: string;
  split?: string;
  task?: string;
  minInteractions?: number | { users: number; items: number };
  valFraction?: number;
  backend?: BackendName;
  runs: ExperimentRun[];
}

/** Parses and validates an experiment file into run specs; relative dataset paths resolve against the file. */
export function loadExperiment(file: string, defaults: SpecDefaults): RunSpec[] {
  let doc: ExperimentFile;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ExperimentFile;
  } catch (e) {
    throw new SpecError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.runs) || doc.runs.length === 0) throw new SpecError(`${file}: needs a non-empty "runs" array`);
  const specs: RunSpec[] = [];
  doc.runs.forEach((r, i) => {
    const where = `${file}: runs[${i}]`;
    if (!r || typeof r !== 'object' || !r.model) throw new SpecError(`${where}: "model" is required`);
    const dataset = r.dataset ?? doc.dataset;
    if (!dataset) throw new SpecError(`${where}: no "dataset" (set it on the run or at the top level)`);
    if (r.seeds !== undefined && (!Array.isArray(r.seeds) || r.seeds.length === 0)) throw new SpecError(`${where}: "seeds" must be a non-empty array of integers`);
    for (const seed of r.seeds ?? [undefined]) {
      specs.push(buildRunSpec({
        where, baseDir: path.dirname(file),
        model: r.model, preset: r.preset, overrides: r.overrides ?? {}, task: r.task ?? doc.task, select: r.select, ks: r.ks,
        train: dataset, test: r.test ?? doc.test, split: r.split ?? doc.split, minInteractions: r.minInteractions ?? doc.minInteractions,
        valFraction: r.valFraction ?? doc.valFraction, seed, backend: r.backend ?? doc.backend,
      }, defaults));
    }
  });
  return specs;
}
