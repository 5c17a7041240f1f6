import { z } from "zod";

/** The body of `POST /execute` on an agent service. */
export interface AgentServiceRequest {
  request_id: string;
  operation: string;
  parameters: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** Seconds the agent may spend on the call. */
  timeout?: number;
  callback_url?: string;
}

/** What an agent service answers to `POST /execute`. Unknown extra fields are kept. */
export const agentServiceResponseSchema = z.looseObject({
  request_id: z.string(),
  success: z.boolean(),
  result: z.unknown(),
  error: z
    .looseObject({ code: z.string(), message: z.string(), details: z.unknown().optional(), retryable: z.boolean() })
    .nullish(),
  execution_time: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  timestamp: z.string(),
});

export type AgentServiceResponse = z.output<typeof agentServiceResponseSchema>;
