/** The one RESULT line format every benchmark prints (see bench/run.ts); `extra` adds `name=value` fields at its end. */
export function printResult(name: string, value: number, unit: string, limit: number, extra: Readonly<Record<string, string | number>> = {}): void {
  const ratio = limit > 0 ? value / limit : 0;
  const fields = Object.entries(extra).map(([key, field]) => ` ${key}=${field}`).join('');
  process.stdout.write(`RESULT ${name} ${Math.round(value)} ${unit} limit=${Math.round(limit)} ratio=${ratio.toFixed(3)}${fields}\n`);
}
