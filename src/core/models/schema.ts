/**
 * The JSON schema of `*.krl.json` experiment files, generated from the model catalogue (scripts/build.mjs writes
 * it to dist/experiment.schema.json, the manifest's jsonValidation points there): every model with its presets,
 * tasks and parameters (type, range, options, default, description), so the editor completes and validates them.
 */
import type { ModelInfo, ParamSpec } from './model';
import { listModels } from './catalogue';
import { TASK_IDS } from '../tasks/tasks';
import { BACKENDS, LIMITS } from '../limits';

type Json = Record<string, unknown>;

const SPLIT_PATTERN = '^(auto|given|random(:[0-9.]+(:-?[0-9]+)?)?|kfold(:[0-9]+(:[0-9]+(:-?[0-9]+)?)?)?|chrono(:[0-9.]+(:[0-9.]+:[0-9.]+)?)?)$';

function paramSchema(p: ParamSpec): Json {
  const base: Json = { description: p.description, default: p.default };
  switch (p.type) {
    case 'number': return { ...base, type: 'number', ...(p.min !== undefined ? { minimum: p.min } : {}), ...(p.max !== undefined ? { maximum: p.max } : {}) };
    case 'integer': return { ...base, type: 'integer', ...(p.min !== undefined ? { minimum: p.min } : {}), ...(p.max !== undefined ? { maximum: p.max } : {}) };
    case 'boolean': return { ...base, type: 'boolean' };
    case 'enum': return { ...base, enum: [...(p.options ?? []), ...(p.options ?? []).filter((o) => /^-?\d+(\.\d+)?$/.test(o)).map(Number)] };
  }
}

const RANGE: Json = { type: 'object', required: ['min', 'max'], additionalProperties: false, properties: { min: { type: 'number' }, max: { type: 'number' }, log: { type: 'boolean', description: 'sample the exponent uniformly (min > 0)' } } };

const SEEDS: Json = { type: 'array', items: { type: 'integer' }, minItems: 1, uniqueItems: true, description: 'One run per seed (initialisation and validation split); groups average over them' };

const FOLDS: Json = {
  description: 'Cross-validation: k folds of the dataset (split kfold:k:i:seed), or given train/test pairs (u1…u5-style); groups average over them',
  oneOf: [
    { type: 'object', required: ['k'], additionalProperties: false, properties: { k: { type: 'integer', minimum: 2, maximum: 100 }, seed: { type: 'integer', default: 1234 } } },
    { type: 'object', required: ['files'], additionalProperties: false, properties: { files: { type: 'array', minItems: 1, items: { type: 'object', required: ['train'], additionalProperties: false, properties: { train: { type: 'string' }, test: { type: 'string' }, name: { type: 'string' } } } } } },
  ],
};

function modelRule(m: ModelInfo): Json {
  const presets = Object.keys(m.presets);
  return {
    if: { properties: { model: { const: m.id } }, required: ['model'] },
    then: {
      properties: {
        preset: presets.length ? { enum: presets, description: Object.entries(m.presets).map(([k, p]) => `${k}: ${p.description}`).join('\n') } : { not: {}, description: `${m.id} has no presets` },
        task: { enum: m.tasks },
        overrides: { type: 'object', additionalProperties: false, properties: Object.fromEntries(m.params.map((p) => [p.key, paramSchema(p)])) },
        grid: { type: 'object', additionalProperties: false, properties: Object.fromEntries(m.params.map((p) => [p.key, { type: 'array', minItems: 1, uniqueItems: true, items: paramSchema(p), description: `values of ${p.key} to try: ${p.description}` }])) },
        random: {
          properties: {
            space: {
              type: 'object', additionalProperties: false,
              properties: Object.fromEntries(m.params.map((p) => [p.key, p.type === 'number' || p.type === 'integer'
                ? { oneOf: [{ type: 'array', minItems: 1, items: paramSchema(p) }, RANGE] }
                : { type: 'array', minItems: 1, items: paramSchema(p) }])),
            },
          },
        },
      },
    },
  };
}

export function experimentSchema(models: ModelInfo[] = listModels(), limits: Pick<typeof LIMITS, 'valFraction'> = LIMITS, backends: readonly string[] = BACKENDS): Json {
  const common: Json = {
    dataset: { type: 'string', description: 'Ratings file (relative to this file): u1.base, ratings.dat, CSV/TSV or .mat' },
    test: { type: 'string', description: 'Test file; found automatically for u1.base ↔ u1.test' },
    split: { type: 'string', pattern: SPLIT_PATTERN, default: 'auto', description: 'auto | given | random:<frac>:<seed> | kfold:<k>:<i>:<seed> | chrono:<test frac> | chrono:<train>:<val>:<test>' },
    task: { enum: [...TASK_IDS], description: 'How runs are judged: rating (RMSE, MAE), ranking (HR/P/R/F1/NDCG@k), interaction (AUC, AUPR, RMSE)' },
    minInteractions: { oneOf: [{ type: 'integer', minimum: 0 }, { type: 'object', properties: { users: { type: 'integer', minimum: 0 }, items: { type: 'integer', minimum: 0 } }, required: ['users', 'items'], additionalProperties: false }], description: 'Keep users and items with at least this many interactions (repeated until stable)' },
    valFraction: { type: 'number', minimum: limits.valFraction.min, maximum: limits.valFraction.max, default: 0.05 },
    backend: { enum: [...backends], default: 'auto' },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kernel Rec Lab experiment',
    description: "One or more training runs, or a sweep (grid / random / seeds / folds). Run it with 'Kernel Rec Lab: Run Experiment File' or 'kernel-rec-lab sweep'. Generated from the model catalogue.",
    type: 'object',
    required: ['runs'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', description: 'The sweep’s name (its id in the runs folder; default: the file name). Rerunning a sweep of this name skips its completed runs' },
      select: {
        description: 'The metric the best grid point is chosen on, on the validation split (the test split is refused); default: each run’s selection metric',
        oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: false, properties: { metric: { type: 'string' }, split: { enum: ['val', 'validation'], default: 'val' } } }],
      },
      seeds: SEEDS,
      folds: FOLDS,
      ...common,
      runs: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['model'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            model: { enum: models.map((m) => m.id), description: 'Model id (kernel-rec-lab models)', markdownEnumDescriptions: models.map((m) => `**${m.name}** — ${m.description} (tasks: ${m.tasks.join(', ')})`) },
            preset: { type: 'string', description: 'Paper settings for a dataset, e.g. ml-100k' },
            overrides: { type: 'object', description: 'Hyper-parameter overrides (checked against the model’s parameters)' },
            select: { type: 'string', description: 'The metric that selects (a) and (c), e.g. rmse, hr@10, auc (default: the task’s)' },
            ks: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, description: 'Ranking cut-offs (default [1, 5, 10])' },
            seeds: SEEDS,
            folds: FOLDS,
            grid: { type: 'object', description: 'Parameter → list of values; every combination is a grid point (the first key varies slowest)' },
            random: {
              type: 'object', required: ['n', 'space'], additionalProperties: false,
              description: 'Random search: n points sampled (seeded) from space (parameter → list, or {min, max, log})',
              properties: { n: { type: 'integer', minimum: 1, maximum: 10000 }, seed: { type: 'integer', default: 1 }, space: { type: 'object' } },
            },
            ...common,
          },
          allOf: models.map(modelRule),
        },
      },
    },
  };
}
