/** Printing helpers: aligned plain-text tables and PASS/MISS lines. */

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_unused, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export interface TargetOutcome {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
  /** Why the figure does not count or what limits it. */
  note?: string;
}

export function verdicts(outcomes: TargetOutcome[]): string {
  return table(
    ['target', 'wanted', 'measured', 'result'],
    outcomes.map((outcome) => [outcome.name, outcome.target, outcome.measured, `${outcome.pass ? 'PASS' : 'MISS'}${outcome.note ? ` (${outcome.note})` : ''}`]),
  );
}
