/** A per-request AbortSignal that owns its timer and its link to a parent signal. */
export interface AbortScope {
  signal: AbortSignal;
  /** Clears the timer and unlinks from the parent; call it in `finally`. */
  dispose(): void;
}

export interface AbortScopeOptions {
  /** A longer-lived signal (the service's shutdown signal, a request's signal) that also aborts this scope. */
  parent?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** The abort reason used when the timeout fires. */
  timeoutReason?: () => unknown;
}

// Children are fanned out from ONE listener per parent instead of one listener per child, so a
// busy long-lived signal never accumulates listeners (nor trips Node's limit of 10 under load).
const childrenOf = new WeakMap<AbortSignal, Set<AbortController>>();

function childrenLinkedTo(parent: AbortSignal): Set<AbortController> {
  let children = childrenOf.get(parent);
  if (!children) {
    const linked = new Set<AbortController>();
    children = linked;
    childrenOf.set(parent, linked);
    parent.addEventListener(
      "abort",
      () => {
        for (const child of linked) child.abort(parent.reason);
        linked.clear();
      },
      { once: true },
    );
  }
  return children;
}

/** Scopes currently linked to `parent` (work in flight under it); 0 once all are disposed. */
export function linkedScopeCount(parent: AbortSignal): number {
  return childrenOf.get(parent)?.size ?? 0;
}

/** Creates a fresh signal for one unit of work, aborted by its parent, its timeout, or neither. */
export function createAbortScope(options: AbortScopeOptions = {}): AbortScope {
  const controller = new AbortController();
  const parent = options.parent;
  let timer: NodeJS.Timeout | undefined;
  let children: Set<AbortController> | undefined;
  if (parent?.aborted) {
    controller.abort(parent.reason);
  } else {
    if (parent) {
      children = childrenLinkedTo(parent);
      children.add(controller);
    }
    if (options.timeoutMs !== undefined) {
      const reason = options.timeoutReason;
      timer = setTimeout(() => controller.abort(reason ? reason() : new Error(`Timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    }
  }
  return {
    signal: controller.signal,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      children?.delete(controller);
    },
  };
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts.
 * The listener is removed either way, so the signal does not accumulate listeners.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The abandoned promise may still reject later; that outcome is intentionally dropped.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
