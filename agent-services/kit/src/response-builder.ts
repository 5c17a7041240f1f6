import type { AgentServiceError } from "./agent-service-error.js";
import type { AgentServiceResponse, OperationKind } from "./wire-format.js";

export interface ResponseFields {
  serviceName: string;
  /** Empty when the request carried no usable id. */
  requestId: string;
  operation: string | null;
  kind: OperationKind | null;
  attempts: number;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  result?: unknown;
  error?: AgentServiceError;
}

/** Assembles an `AgentServiceResponse`; a response with `error` is a failure. */
export function buildResponse(fields: ResponseFields): AgentServiceResponse {
  const { error } = fields;
  return {
    request_id: fields.requestId,
    success: error === undefined,
    result: error === undefined ? (fields.result ?? null) : null,
    ...(error
      ? {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
            retryable: error.retryable,
          },
        }
      : {}),
    execution_time: Math.max(0, Math.round((performance.now() - fields.startedAt) * 1000)) / 1_000_000,
    metadata: { service: fields.serviceName, operation: fields.operation, kind: fields.kind, attempts: fields.attempts },
    timestamp: new Date().toISOString(),
  };
}
