/**
 * A business rule said no (out of stock, unknown id, invalid transition).
 * Tools turn it into an `isError` result whose message a model can act on.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
