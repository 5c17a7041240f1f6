/** Turns a rejected fetch into one readable line, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:8081`. */
export function describeFetchError(error: unknown, timeoutMs?: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" && timeoutMs !== undefined) return `timed out after ${timeoutMs} ms`;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message && cause.message !== error.message) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}
