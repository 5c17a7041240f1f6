import type { ServiceCapabilities } from "./capabilities.js";

function describeParameters(schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const parts = Object.entries(properties)
    .filter(([name]) => name !== "idempotency_key")
    .map(([name, property]) => {
      const type = property.enum ? `one of ${(property.enum as unknown[]).map((v) => JSON.stringify(v)).join("|")}` : String(property.type ?? "any");
      return `${name}${required.has(name) ? "" : "?"}: ${type}`;
    });
  return `{${parts.join(", ")}}`;
}

/** A compact listing of the healthy services' operations for a model prompt. */
export function describeCapabilities(capabilities: ServiceCapabilities[]): string {
  return capabilities
    .map((service) => {
      const operations = service.operations.map((op) => {
        const flags = [op.annotations.read_only ? "read-only" : "mutating", op.compensation ? `undo: ${op.compensation}` : ""].filter(Boolean).join(", ");
        return `  - ${op.name} (${flags}) ${describeParameters(op.input_schema)}: ${op.description}`;
      });
      return `${service.service_name}:\n${operations.join("\n")}`;
    })
    .join("\n");
}
