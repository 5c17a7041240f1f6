import { AgentServiceError } from "./agent-service-error.js";

/**
 * Faults an agent service injects into its own execute calls, for experiments. Every
 * setting defaults to "no fault".
 */
export interface FaultSettings {
  /** Share of calls answered 503 INJECTED_FAULT (retryable) without calling the MCP server, 0 to 1. */
  errorRate: number;
  /** Delay added before every call, within the request's deadline. */
  latencyMs: number;
  /** Share of calls that run (their effect happens) but answer 504 TIMEOUT only after the request's deadline, 0 to 1. */
  timeoutRate: number;
  /** Seed of the random draws; the same seed and service draw the same sequence of faults. Unset: unseeded. */
  seed: number | undefined;
}

/** The settings that inject nothing. */
export const noFaults: FaultSettings = Object.freeze({ errorRate: 0, latencyMs: 0, timeoutRate: 0, seed: undefined });

/** What happens to one call. */
export interface FaultDecision {
  delayMs: number;
  outcome: "none" | "error" | "timeout";
}

/** A 32-bit FNV-1a hash: mixes the service name into the shared seed, so services draw different sequences. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; plenty for drawing fault outcomes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Draws one decision per call: a single uniform draw `u` gives an error when
 * `u < errorRate`, a timeout when `u < errorRate + timeoutRate`, else a normal call.
 */
export class FaultInjector {
  private readonly random: () => number;

  constructor(
    readonly settings: FaultSettings,
    serviceName: string,
  ) {
    if (settings.errorRate < 0 || settings.timeoutRate < 0 || settings.errorRate + settings.timeoutRate > 1) {
      throw new Error(`fault rates must be at least 0 and add up to at most 1 (error ${settings.errorRate}, timeout ${settings.timeoutRate})`);
    }
    this.random = settings.seed === undefined ? Math.random : seededRandom(hash32(`${settings.seed}:${serviceName}`));
  }

  /** Whether any fault can happen at all. */
  get active(): boolean {
    return this.settings.errorRate > 0 || this.settings.timeoutRate > 0 || this.settings.latencyMs > 0;
  }

  /** The fate of the next call. */
  next(): FaultDecision {
    const { errorRate, timeoutRate, latencyMs } = this.settings;
    if (errorRate === 0 && timeoutRate === 0) return { delayMs: latencyMs, outcome: "none" };
    const u = this.random();
    return { delayMs: latencyMs, outcome: u < errorRate ? "error" : u < errorRate + timeoutRate ? "timeout" : "none" };
  }

  /** One line for the log, e.g. "error rate 0.05, latency 20 ms, timeout rate 0, seed 42". */
  describe(): string {
    const { errorRate, latencyMs, timeoutRate, seed } = this.settings;
    return `error rate ${errorRate}, latency ${latencyMs} ms, timeout rate ${timeoutRate}, ${seed === undefined ? "unseeded" : `seed ${seed}`}`;
  }
}

/** The answer to a call that drew an injected error: retryable, and nothing was called. */
export function injectedError(operation: string): AgentServiceError {
  return new AgentServiceError(503, "INJECTED_FAULT", `Injected fault: ${operation} was not called (fault injection is on for this service).`, undefined, {
    retryable: true,
  });
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Holds an injected-timeout call until its deadline passes, then fails it as a timeout
 * although its effect happened; a shutdown in the meantime fails it with its own reason.
 */
export async function holdPastDeadline(signal: AbortSignal): Promise<never> {
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  const reason = signal.reason as unknown;
  if (reason instanceof AgentServiceError && reason.code === "TIMEOUT") {
    throw new AgentServiceError(
      504,
      "TIMEOUT",
      `${reason.message} (injected timeout: the call took effect, but its answer was held past the deadline)`,
      { ...(typeof reason.details === "object" && reason.details !== null ? reason.details : {}), injected: true },
    );
  }
  throw reason;
}
