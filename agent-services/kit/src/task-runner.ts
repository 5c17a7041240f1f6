import pLimit, { type LimitFunction } from "p-limit";
import { AgentServiceError } from "./agent-service-error.js";
import { deliverCallback, type CallbackPolicy } from "./callback-delivery.js";
import type { OperationExecutor } from "./operation-executor.js";
import { buildResponse } from "./response-builder.js";
import type { AgentTaskRow } from "./task-schema.js";
import type { NewTask, TaskStore } from "./task-store.js";

export interface TaskRunnerOptions {
  serviceName: string;
  store: TaskStore;
  executor: OperationExecutor;
  /** Tasks executed at the same time. */
  concurrency: number;
  callbackPolicy: CallbackPolicy;
  /** Aborts callback retries when the service stops. */
  lifecycle: AbortSignal;
  log: (message: string) => void;
}

/**
 * Runs `/execute-async` tasks in the background and delivers their callbacks. Every state
 * change is written to the task store first, so `/status` and a restarted process see it.
 *
 * Recovery after a stop or crash (`recover()`):
 * - `queued` tasks never started, so they are simply run.
 * - `running` tasks may or may not have reached the MCP server. They run again only when
 *   that cannot duplicate an effect (local or read-only or idempotent operation, or a call
 *   that carries an idempotency key); otherwise they are marked failed with `INTERRUPTED`
 *   so that the caller checks the target state before deciding to retry.
 * - finished tasks whose callback was not delivered get their remaining delivery attempts.
 */
export class TaskRunner {
  private readonly limit: LimitFunction;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(private readonly options: TaskRunnerOptions) {
    this.limit = pLimit(options.concurrency);
  }

  /** Persists a new queued task and schedules it. */
  submit(task: NewTask): AgentTaskRow {
    const row = this.options.store.create(task);
    this.schedule(row.id);
    return row;
  }

  recover(): { resumed: number; interrupted: number; callbacks: number } {
    const { store, log } = this.options;
    // Listed before the interrupted tasks below are finished, so none is delivered twice.
    const pending = store.listUndeliveredCallbacks(this.options.callbackPolicy.retries + 1);
    let resumed = 0;
    let interrupted = 0;
    for (const row of store.listUnfinished()) {
      if (row.status === "queued" || row.repeatable) {
        if (row.status === "running") store.requeue(row.id);
        this.schedule(row.id);
        resumed += 1;
      } else {
        store.finish(row.id, this.interruptedResponse(row));
        this.track(this.deliver(row.id));
        interrupted += 1;
      }
    }
    for (const row of pending) this.track(this.deliver(row.id));
    if (resumed + interrupted + pending.length > 0) {
      log(`recovered tasks: ${resumed} resumed, ${interrupted} interrupted, ${pending.length} callbacks to deliver`);
    }
    return { resumed, interrupted, callbacks: pending.length };
  }

  /**
   * Stops taking tasks: queued ones stay queued in the store (resumed by the next start),
   * running ones get `graceMs` to finish; whatever is still running is left for recovery.
   */
  async stop(graceMs: number): Promise<void> {
    // Queued work still passes through the limiter, but run() returns at once when stopping.
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Tasks and callbacks currently in progress. */
  get activeCount(): number {
    return this.inFlight.size;
  }

  private schedule(id: string): void {
    this.track(this.limit(() => this.run(id)));
  }

  private track(work: Promise<unknown>): void {
    const done: Promise<void> = work.then(
      () => undefined,
      (error: unknown) => this.options.log(`task work failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async run(id: string): Promise<void> {
    const { store, executor } = this.options;
    if (this.stopping || store.isClosed || !store.markRunning(id)) return;
    const row = store.get(id);
    if (!row) return;
    const outcome = await executor.execute(row.request);
    // After a stop the store may be closed; the task stays `running` and is recovered on restart.
    if (store.isClosed) return;
    store.finish(id, outcome.response);
    await this.deliver(id);
  }

  private async deliver(id: string): Promise<void> {
    const { store, callbackPolicy, lifecycle, log } = this.options;
    const row = store.isClosed ? undefined : store.get(id);
    if (!row?.callbackUrl || !row.response || row.callbackDelivered) return;
    const remaining = callbackPolicy.retries + 1 - row.callbackAttempts;
    if (remaining <= 0 || lifecycle.aborted) return;
    const delivered = await deliverCallback({
      url: row.callbackUrl,
      taskId: id,
      payload: row.response,
      policy: { ...callbackPolicy, retries: remaining - 1 },
      signal: lifecycle,
      onAttempt: (outcome) => {
        if (!store.isClosed) store.recordCallbackAttempt(id, outcome);
      },
    });
    if (!delivered && !lifecycle.aborted) log(`callback for ${id} to ${row.callbackUrl} was not delivered; giving up`);
  }

  private interruptedResponse(row: AgentTaskRow) {
    const error = new AgentServiceError(
      500,
      "INTERRUPTED",
      `The agent service stopped while ${row.request.operation} was running, and it was not run again because repeating it could duplicate its effect (the operation is not idempotent and the request has no idempotency key). Check the target state before retrying.`,
      undefined,
      { retryable: false },
    );
    return buildResponse({
      serviceName: this.options.serviceName,
      requestId: row.request.request_id,
      operation: row.request.operation,
      kind: null,
      attempts: 0,
      startedAt: performance.now(),
      error,
    });
  }
}
