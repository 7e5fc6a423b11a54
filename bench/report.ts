/** The one RESULT line format every benchmark prints (see bench/run.ts). */
export function printResult(name: string, value: number, unit: string, limit: number): void {
  const ratio = limit > 0 ? value / limit : 0;
  process.stdout.write(`RESULT ${name} ${Math.round(value)} ${unit} limit=${Math.round(limit)} ratio=${ratio.toFixed(3)}\n`);
}
