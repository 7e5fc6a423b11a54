export function runJoinBenchmark(): void {}
