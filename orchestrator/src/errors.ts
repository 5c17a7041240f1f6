/** The one error type of the orchestrator's HTTP boundary; `onError` maps it to JSON. */
export class OrchestratorError extends Error {
  override readonly name = "OrchestratorError";
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 415 | 422 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
