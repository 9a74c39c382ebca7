/**
 * The workspace's own presets: `.kernelrec/presets.json`, written by the experiments table's "Save the chosen point
 * as a preset" and read by the palette, the CLI (`--preset <name>`) and experiment files. A user preset names a model,
 * optionally a paper preset it builds on, and parameter values; the run-spec builder turns it into that paper preset
 * plus overrides, so a run folder records the values themselves. No vscode import.
 *
 *   { "presets": { "mf-lr-best": { "model": "biased-mf", "preset": "ml-100k", "values": { "lr": 0.01 },
 *                                  "description": "…", "source": { "sweep": "mf-lr", "metric": "rmse", "val": 0.91 } } } }
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Hyper } from '../protocol/types';
import { isObj, writeFileAtomic } from './runStore';

export interface UserPreset {
  model: string;
  preset?: string;
  values: Hyper;
  description?: string;
  source?: { sweep?: string; metric?: string; val?: number; std?: number; runs?: number; savedAt?: string };
}

export type UserPresets = Record<string, UserPreset>;

export function presetsFile(workspace: string): string {
  return path.join(workspace, '.kernelrec', 'presets.json');
}

/** Reads a presets file; a missing file is no presets, a malformed one an error naming the file and the problem. */
export function loadUserPresets(file: string): UserPresets {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw Object.assign(new Error(`${file}: ${(e as Error).message}`), { input: true });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw Object.assign(new Error(`${file}: not valid JSON (${(e as Error).message})`), { input: true });
  }
  if (!isObj(doc) || !isObj(doc.presets)) throw Object.assign(new Error(`${file}: needs {"presets": {"<name>": {"model": …, "values": {…}}}}`), { input: true });
  const out: UserPresets = {};
  for (const [name, p] of Object.entries(doc.presets)) {
    if (!isObj(p) || typeof p.model !== 'string' || !isObj(p.values)) throw Object.assign(new Error(`${file}: preset "${name}" needs "model" (a model id) and "values" (an object)`), { input: true });
    out[name] = p as unknown as UserPreset;
  }
  return out;
}

/** Adds or replaces one preset, keeping the others (atomic write). */
export function saveUserPreset(file: string, name: string, preset: UserPreset): void {
  const all = loadUserPresets(file);
  all[name] = preset;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify({ presets: all }, null, 2) + '\n');
}
