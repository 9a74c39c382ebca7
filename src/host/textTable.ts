/** A plain-text table for the CLI: the first column left-aligned, the others right-aligned, a rule under the header. */
export function textTable(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ');
    return i === 0 ? `${line}\n${w.map((n) => '─'.repeat(n)).join('  ')}` : line;
  }).join('\n');
}
