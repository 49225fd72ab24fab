/**
 * Aggregating runs into table rows: mean and sample standard deviation of
 * every metric over the repeats, and which row is best in each column.
 */
import type {MetricInfo, ResolvedConfig, RunResult, Stat, SummaryRow} from './types';

/** Mean and sample standard deviation (n - 1; 0 for a single value) of the finite values. */
export function stat(values: number[]): Stat {
  const ok = values.filter(Number.isFinite);
  if (ok.length === 0) return {mean: NaN, sd: NaN, values};
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  const sd = ok.length > 1 ? Math.sqrt(ok.reduce((a, v) => a + (v - mean) ** 2, 0) / (ok.length - 1)) : 0;
  return {mean, sd, values};
}

/** Label of a summary row: the method, `+ TS` when temperature-scaled, `@ N ep.` with several budgets. */
export function rowLabel(method: string, calibrated: boolean, budget: number, severalBudgets: boolean): string {
  return `${method}${calibrated ? ' + TS' : ''}${severalBudgets ? ` @ ${budget} ep.` : ''}`;
}

/**
 * One row per method × (raw, temperature-scaled) × budget, in method order;
 * `best` lists the metric keys where the row's mean is the best of its budget
 * (ties share it).
 */
export function summarize(runs: RunResult[], metrics: MetricInfo[], methodOrder: string[], config: Pick<ResolvedConfig, 'epochs' | 'temperatureScale'>): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const several = config.epochs.length > 1;
  for (const budget of config.epochs) {
    for (const method of methodOrder) {
      for (const calibrated of config.temperatureScale ? [false, true] : [false]) {
        const mine = runs.filter(r => r.method === method);
        const ok = mine.filter(r => r.error === undefined);
        const evals = ok.map(r => r.evaluations.find(e => e.budget === budget && e.calibrated === calibrated)).filter(e => e !== undefined);
        const stats: Record<string, Stat> = {};
        for (const m of metrics) stats[m.key] = stat(evals.map(e => e!.metrics[m.key]));
        rows.push({
          label: rowLabel(method, calibrated, budget, several),
          method, calibrated, budget, stats, best: [],
          bestEpoch: stat(evals.map(e => e!.epoch)),
          seconds: stat(ok.map(r => r.seconds)),
          failed: mine.length - ok.length,
        });
      }
    }
  }
  for (const budget of config.epochs) {
    const group = rows.filter(r => r.budget === budget);
    for (const m of metrics) {
      const means = group.map(r => r.stats[m.key].mean).filter(Number.isFinite);
      if (means.length < 2) continue;
      const target = m.better === 'max' ? Math.max(...means) : Math.min(...means);
      // Compared at the 3 decimals the tables show, so a visible tie is marked on every tied row.
      for (const r of group) if (r.stats[m.key].mean.toFixed(3) === target.toFixed(3)) r.best.push(m.key);
    }
  }
  return rows;
}
