import * as path from 'path';

/** A short dataset name for titles and run folders: the folder name plus the split file stem (ml-100k/u1). */
export function datasetName(trainFile: string, testFile?: string): string {
  const dir = path.basename(path.dirname(trainFile));
  const stem = path.basename(trainFile).replace(/\.(base|test|train|csv|tsv|dat|data|txt|mat)$/i, '');
  if (testFile || /^u\d|^u[ab]$/.test(stem)) return `${dir}/${stem}`;
  if (stem === 'u' || stem === 'ratings') return dir;
  return stem;
}
