/** One problem found in an input file, located as precisely as we can. */
export interface DatasetIssue {
  file: string;
  /** 1-based line number; undefined when the problem is not tied to a line (e.g. a missing .mat key). */
  line?: number;
  problem: string;
}

export function formatIssue(i: DatasetIssue): string {
  return i.line !== undefined ? `${i.file}:${i.line}: ${i.problem}` : `${i.file}: ${i.problem}`;
}

/**
 * Thrown for any bad input. `issues` holds up to MAX_ISSUES located problems; the message names the first ones
 * as `file:line: problem` so that a CLI or notification shows where to look.
 */
export class DatasetError extends Error {
  static readonly MAX_ISSUES = 20;
  readonly issues: DatasetIssue[];
  readonly truncated: boolean;

  constructor(issues: DatasetIssue[], truncated = false) {
    const head = issues.slice(0, 5).map(formatIssue).join('\n');
    const more = issues.length > 5 ? `\n… and ${issues.length - 5} more problem(s)${truncated ? ' (stopped after 20)' : ''}` : '';
    super(head + more);
    this.name = 'DatasetError';
    this.issues = issues;
    this.truncated = truncated;
  }

  static single(file: string, problem: string, line?: number): DatasetError {
    return new DatasetError([{ file, line, problem }]);
  }
}

/** Collects issues while parsing; throws once MAX_ISSUES are reached so a broken 10M-line file fails fast. */
export class IssueCollector {
  readonly issues: DatasetIssue[] = [];
  constructor(readonly file: string) {}

  add(problem: string, line?: number): void {
    this.issues.push({ file: this.file, line, problem });
    if (this.issues.length >= DatasetError.MAX_ISSUES) throw new DatasetError(this.issues, true);
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new DatasetError(this.issues);
  }
}
