// One benchmark measurement, with the baseline measured in the same run.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  /** value / baseline (how many times the baseline this costs). */
  ratio?: number;
  /** The same work done by Trivy in the same run (wall time), when the row compares with it. */
  trivy?: number;
  /** value / trivy. */
  trivyRatio?: number;
  note?: string;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : NaN;
}

/** VANTAGE_BENCH_SCALE shrinks (or grows) every benchmark's size; 1 = the sizes the issues name. */
export function benchScale(): number {
  const s = Number(process.env.VANTAGE_BENCH_SCALE ?? "1");
  return Number.isFinite(s) && s > 0 ? s : 1;
}
