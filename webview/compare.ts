/**
 * The order of table cells for sorting (ascending; the caller multiplies by its direction): numbers by value with
 * missing ones (NaN, ±∞ placeholders) last, everything else as text — with numericText, "10" after "9".
 */
export function compareCells(x: number | string, y: number | string, numericText = false): number {
  if (typeof x === 'number' && typeof y === 'number') return (Number.isFinite(x) ? x : Infinity) - (Number.isFinite(y) ? y : Infinity);
  return numericText ? String(x).localeCompare(String(y), undefined, { numeric: true }) : String(x).localeCompare(String(y));
}
