import { z } from "zod";
import type { FieldError } from "./agent-service-error.js";

/** `POST /execute` and `POST /execute-async` body. `timeout` is in seconds. */
export const agentServiceRequestSchema = z.object({
  request_id: z.string().min(1).max(200),
  operation: z.string().min(1).max(200),
  parameters: z.record(z.string(), z.unknown()).default({}),
  context: z
    .looseObject({
      idempotency_key: z.string().min(1).max(200).optional(),
      workflow_id: z.string().max(200).optional(),
      step_id: z.string().max(200).optional(),
    })
    .optional(),
  timeout: z.number().positive().max(3600).optional(),
  callback_url: z.url({ protocol: /^https?$/ }).optional(),
});

export type AgentServiceRequest = z.infer<typeof agentServiceRequestSchema>;

export const operationKinds = ["mcp", "local"] as const;
export type OperationKind = (typeof operationKinds)[number];

/** Body of every `/execute` answer, success or failure, and of async callbacks. */
export const agentServiceResponseSchema = z.object({
  /** Echoes the request's id; empty when the body was too broken to carry one. */
  request_id: z.string(),
  success: z.boolean(),
  result: z.unknown(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      retryable: z.boolean(),
    })
    .optional(),
  /** Seconds. */
  execution_time: z.number().nonnegative(),
  metadata: z.object({
    service: z.string(),
    operation: z.string().nullable(),
    kind: z.enum(operationKinds).nullable(),
    /** MCP attempts made (connects and calls); 1 for a local operation, 0 when nothing ran. */
    attempts: z.number().int().nonnegative(),
  }),
  timestamp: z.string(),
});

export type AgentServiceResponse = z.infer<typeof agentServiceResponseSchema>;

export const operationAnnotationsSchema = z.object({
  read_only: z.boolean(),
  destructive: z.boolean(),
  idempotent: z.boolean(),
});

export type OperationAnnotations = z.infer<typeof operationAnnotationsSchema>;

/** One entry of `GET /capabilities`. */
export const operationDescriptorSchema = z.object({
  name: z.string(),
  description: z.string(),
  kind: z.enum(operationKinds),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()).nullable(),
  annotations: operationAnnotationsSchema,
  compensation: z.string().nullable(),
});

export type OperationDescriptor = z.infer<typeof operationDescriptorSchema>;

/** Body of `GET /capabilities`; `updated_at` is when the operation list last changed. */
export const capabilitiesSchema = z.object({
  service_name: z.string(),
  version: z.string(),
  description: z.string(),
  operations: z.array(operationDescriptorSchema),
  updated_at: z.string(),
});

export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const taskStatuses = ["queued", "running", "succeeded", "failed"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Body of `GET /status/:task_id`. */
export interface TaskView {
  task_id: string;
  status: TaskStatus;
  request: AgentServiceRequest;
  response?: AgentServiceResponse;
  created_at: string;
  updated_at: string;
  callback: { url: string | null; attempts: number; delivered: boolean; last_error?: string };
}

/** Body of `GET /health`. */
export interface HealthReport {
  status: "ok" | "degraded";
  service: string;
  version: string;
  uptime_seconds: number;
  mcp: { reachable: boolean; url: string; last_error?: string };
}

/** Zod issues as field errors, the same shape the JSON Schema validator produces. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}
