import { createHash } from "node:crypto";
// Sorted keys: the same content in another key order hashes the same.
import stableStringify from "fast-json-stable-stringify";
import { z } from "zod";

const jsonSchemaObject = z.record(z.string(), z.unknown());

/** One operation as an agent service publishes it at `GET /capabilities`. */
export const operationCapabilitySchema = z.object({
  name: z.string().min(1),
  // MCP tools may lack a description; the planner still needs a string.
  description: z.string().default(""),
  kind: z.enum(["mcp", "local"]),
  input_schema: jsonSchemaObject,
  output_schema: jsonSchemaObject.nullable().default(null),
  annotations: z.object({ read_only: z.boolean(), destructive: z.boolean(), idempotent: z.boolean() }),
  compensation: z.string().nullable().default(null),
});

/** The document an agent service serves at `GET /capabilities`. */
export const serviceCapabilitiesSchema = z.object({
  service_name: z.string().min(1),
  version: z.string(),
  description: z.string().default(""),
  operations: z.array(operationCapabilitySchema),
  updated_at: z.string().optional(),
});

export type OperationCapability = z.output<typeof operationCapabilitySchema>;
export type ServiceCapabilities = z.output<typeof serviceCapabilitiesSchema>;


/**
 * Content hash of a capabilities document. `updated_at` is left out: every instance
 * stamps its own load time, so comparing it would report a change whenever the
 * registry reads from another instance of the same service.
 */
export function hashCapabilities(capabilities: ServiceCapabilities): string {
  const { updated_at: _ignored, ...content } = capabilities;
  return createHash("sha256").update(stableStringify(content)).digest("hex");
}

/** Fetches and validates one instance's capabilities; throws an Error with a readable message. */
export async function fetchCapabilities(
  fetchImpl: typeof fetch,
  baseUrl: string,
  expectedService: string,
  timeoutMs: number,
): Promise<ServiceCapabilities> {
  const response = await fetchImpl(`${baseUrl}/capabilities`, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET /capabilities answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error("GET /capabilities did not return JSON");
  }
  const parsed = serviceCapabilitiesSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new Error(`GET /capabilities returned an invalid document: ${problems}`);
  }
  if (parsed.data.service_name !== expectedService) {
    throw new Error(`GET /capabilities describes service "${parsed.data.service_name}", not "${expectedService}"`);
  }
  return parsed.data;
}
