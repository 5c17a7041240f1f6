import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One problem with one input field; `path` is dot-separated (`items.0.sku`), empty for the whole value. */
export interface FieldError {
  path: string;
  message: string;
}

export interface AgentServiceErrorOptions {
  /** Whether repeating the same request later may succeed; defaults to true for 503 and 504. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * The one error type of the agent-service HTTP boundary: `app.onError` turns it into the
 * response, with `status` as the HTTP status and `code` as the machine-readable reason.
 */
export class AgentServiceError extends Error {
  override readonly name = "AgentServiceError";
  readonly retryable: boolean;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options: AgentServiceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? (status === 503 || status === 504);
  }
}

/** Anything that is not already an AgentServiceError is a bug: a 500 whose details stay in the log. */
export function toAgentServiceError(error: unknown): AgentServiceError {
  if (error instanceof AgentServiceError) return error;
  return new AgentServiceError(500, "INTERNAL_ERROR", "The agent service failed unexpectedly; see its log for details.", undefined, {
    retryable: false,
    cause: error,
  });
}
