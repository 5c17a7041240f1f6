/** How well a workflow with parallel steps used its parallelism, from its recorded step timings. */
export interface ParallelismFigures {
  /** First step start to last step end. */
  wall_ms: number;
  /** Sum of every step's duration: the wall time if the steps ran one after another. */
  sum_ms: number;
  /** Longest chain of dependent step durations: the least wall time any scheduler could reach. */
  critical_path_ms: number;
  /** critical_path_ms / wall_ms: 1 means no time lost between dependent steps. */
  efficiency: number;
  /** sum_ms / wall_ms: how much faster than running the steps one by one. */
  speedup: number;
}

interface PlannedStep {
  step_id: string;
  dependencies: string[];
}

interface TimedStep {
  step_id: string;
  started_at: string | null;
  finished_at: string | null;
}

/** The figures of one finished workflow; undefined when a step has no timing. */
export function parallelismOf(plan: PlannedStep[], steps: TimedStep[]): ParallelismFigures | undefined {
  const timing = new Map<string, { start: number; end: number }>();
  for (const step of steps) {
    if (!step.started_at || !step.finished_at) return undefined;
    timing.set(step.step_id, { start: Date.parse(step.started_at), end: Date.parse(step.finished_at) });
  }
  const duration = (id: string) => timing.get(id)!.end - timing.get(id)!.start;
  const finish = new Map<string, number>();
  const longest = (id: string): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    const step = plan.find((s) => s.step_id === id);
    const value = duration(id) + Math.max(0, ...(step?.dependencies ?? []).map(longest));
    finish.set(id, value);
    return value;
  };
  if (plan.some((s) => !timing.has(s.step_id))) return undefined;
  const wall = Math.max(...[...timing.values()].map((t) => t.end)) - Math.min(...[...timing.values()].map((t) => t.start));
  const sum = plan.reduce((total, s) => total + duration(s.step_id), 0);
  const critical = Math.max(...plan.map((s) => longest(s.step_id)));
  return {
    wall_ms: wall,
    sum_ms: sum,
    critical_path_ms: critical,
    efficiency: wall > 0 ? critical / wall : 1,
    speedup: wall > 0 ? sum / wall : 1,
  };
}
