/** Progress of a pool: how many tasks finished out of how many. */
export type PoolProgress = (done: number, total: number) => void;

/**
 * Runs `task(0..count-1)` with at most `concurrency` in flight and returns the results in
 * index order. Once `signal` aborts no new task starts; those get `notStarted(index)`.
 */
export async function runPool<T>(options: {
  count: number;
  concurrency: number;
  task: (index: number) => Promise<T>;
  notStarted: (index: number) => T;
  onProgress?: PoolProgress;
  signal?: AbortSignal;
}): Promise<T[]> {
  const results = new Array<T>(options.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.count) {
      const index = next;
      next += 1;
      results[index] = options.signal?.aborted ? options.notStarted(index) : await options.task(index);
      done += 1;
      options.onProgress?.(done, options.count);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.count)) }, worker));
  return results;
}

/** A progress printer that writes `<label>: n/N done` at most every second, at each tenth, and at the end. */
export function progressPrinter(label: string, write: (line: string) => void, extra: () => string = () => ""): PoolProgress {
  let lastAt = 0;
  let lastTenth = -1;
  return (done, total) => {
    const tenth = Math.floor((done * 10) / total);
    const now = Date.now();
    if (done !== total && tenth === lastTenth && now - lastAt < 1_000) return;
    lastAt = now;
    lastTenth = tenth;
    const more = extra();
    write(`${label}: ${done}/${total} done${more ? ` (${more})` : ""}`);
  };
}
