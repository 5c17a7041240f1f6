import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DomainError } from "./domain-error.js";

/** A successful tool result: structured content plus the same JSON as text for clients that only read text. */
export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

/** A tool result the model can read and act on; `code` lets programs tell failures apart. */
export function toolFailure(code: string, message: string, details?: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: message }],
    _meta: { error_code: code, ...(details ? { details } : {}) },
  };
}

/**
 * Runs a tool body and maps the outcome onto the MCP result shape. Domain failures
 * become `isError` results; anything else is a bug and is rethrown for the SDK to report.
 */
export async function runTool(
  body: () => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  try {
    return toolSuccess(await body());
  } catch (error) {
    if (error instanceof DomainError) return toolFailure(error.code, error.message, error.details);
    throw error;
  }
}
