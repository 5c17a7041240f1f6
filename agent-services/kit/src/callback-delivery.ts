import pRetry, { AbortError } from "p-retry";
import { createAbortScope } from "./abort-scope.js";
import type { AgentServiceResponse } from "./wire-format.js";

/** How hard to try delivering a callback. */
export interface CallbackPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Limit for one POST. */
  attemptTimeoutMs: number;
}

export interface CallbackDelivery {
  url: string;
  taskId: string;
  payload: AgentServiceResponse;
  policy: CallbackPolicy;
  /** Aborts the remaining attempts (service stopping). */
  signal: AbortSignal;
  /** Called after every attempt, so the outcome can be persisted. */
  onAttempt: (outcome: { delivered: boolean; error?: string }) => void;
}

// A receiver that answers 4xx (other than timeout and rate limit) will not change its mind.
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * POSTs a finished task's response to its callback URL, retrying with exponential backoff
 * and jitter. Resolves true once a 2xx answer arrives, false when it gives up.
 */
export async function deliverCallback(delivery: CallbackDelivery): Promise<boolean> {
  const { policy } = delivery;
  // p-retry listens on its signal during backoff; a scope keeps that off the long-lived signal.
  const deliveryScope = createAbortScope({ parent: delivery.signal });
  try {
    await pRetry(
      async () => {
        const scope = createAbortScope({ parent: deliveryScope.signal, timeoutMs: policy.attemptTimeoutMs });
        let failure: string | undefined;
        try {
          const response = await fetch(delivery.url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-switchyard-task-id": delivery.taskId },
            body: JSON.stringify(delivery.payload),
            signal: scope.signal,
          });
          await response.body?.cancel();
          if (response.ok) {
            delivery.onAttempt({ delivered: true });
            return;
          }
          failure = `callback receiver answered HTTP ${response.status}`;
          delivery.onAttempt({ delivered: false, error: failure });
          if (isPermanent(response.status)) throw new AbortError(failure);
          throw new Error(failure);
        } catch (error) {
          if (failure === undefined) {
            const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
            failure = `${error instanceof Error ? error.message : String(error)}${cause}`;
            delivery.onAttempt({ delivered: false, error: failure });
          }
          throw error;
        } finally {
          scope.dispose();
        }
      },
      {
        retries: policy.retries,
        minTimeout: policy.minDelayMs,
        maxTimeout: policy.maxDelayMs,
        factor: 2,
        randomize: true,
        signal: deliveryScope.signal,
      },
    );
    return true;
  } catch {
    return false;
  } finally {
    deliveryScope.dispose();
  }
}
