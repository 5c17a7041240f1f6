/**
 * The registry's one error type: a stable `code` programs can branch on, a message a
 * person can act on, and optional structured `details`. The HTTP app maps codes to
 * statuses in one place (`registry-app.ts`).
 */
export class RegistryError extends Error {
  override readonly name: string = "RegistryError";
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** One instance that was tried and failed while serving a request. */
export interface FailedAttempt {
  url: string;
  /** HTTP status when the instance answered 502/503; absent for connection errors. */
  status?: number;
  error: string;
}

/** No healthy instance of a service could take the request (none healthy, unknown service, or all failed). */
export class NoHealthyInstanceError extends RegistryError {
  override readonly name = "NoHealthyInstanceError";
  constructor(
    readonly serviceName: string,
    message: string,
    readonly attempts: FailedAttempt[] = [],
  ) {
    super("NO_HEALTHY_INSTANCE", message, { service_name: serviceName, attempts });
  }
}
