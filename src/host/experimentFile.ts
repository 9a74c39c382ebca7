/** *.krl.json experiment files: one or more runs (model, preset, overrides, split, seeds). No vscode import. */
import * as fs from 'fs';
import * as path from 'path';
import type { BackendName, Hyper, RunSpec } from '../core/types';
import { getModel } from '../core/models/registry';
import { resolveHyper } from '../core/models/model';
import { parseSplit } from '../core/data/splits';

export interface ExperimentRun {
  name?: string;
  model: string;
  preset?: string;
  overrides?: Hyper;
  dataset?: string;
  test?: string;
  split?: string;
  seeds?: number[];
  valFraction?: number;
  backend?: BackendName;
}

export interface ExperimentFile {
  dataset?: string;
  test?: string;
  split?: string;
  valFraction?: number;
  backend?: BackendName;
  runs: ExperimentRun[];
}

/** Parses and validates an experiment file into run specs; relative dataset paths resolve against the file. */
export function loadExperiment(file: string, defaults: { valFraction: number; seed: number; backend: BackendName }): RunSpec[] {
  let doc: ExperimentFile;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ExperimentFile;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || !Array.isArray(doc.runs) || doc.runs.length === 0) throw new Error(`${file}: needs a non-empty "runs" array`);
  const base = path.dirname(file);
  const specs: RunSpec[] = [];
  doc.runs.forEach((r, i) => {
    const where = `${file}: runs[${i}]`;
    if (!r.model) throw new Error(`${where}: "model" is required`);
    const dataset = r.dataset ?? doc.dataset;
    if (!dataset) throw new Error(`${where}: no "dataset" (set it on the run or at the top level)`);
    const test = r.test ?? doc.test;
    let def;
    try {
      def = getModel(r.model);
      resolveHyper(def, r.preset, r.overrides ?? {});
      parseSplit(r.split ?? doc.split ?? 'auto');
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    for (const seed of r.seeds ?? [defaults.seed]) {
      specs.push({
        model: r.model,
        preset: r.preset,
        overrides: r.overrides ?? {},
        dataset: { train: path.resolve(base, dataset), test: test ? path.resolve(base, test) : undefined },
        split: r.split ?? doc.split ?? 'auto',
        valFraction: r.valFraction ?? doc.valFraction ?? defaults.valFraction,
        seed,
        backend: r.backend ?? doc.backend ?? defaults.backend,
      });
    }
  });
  return specs;
}
