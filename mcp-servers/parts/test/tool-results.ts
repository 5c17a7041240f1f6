import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ToolCallCase } from "@switchyard/mcp-kit";
import { expect } from "vitest";

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** Calls a tool and returns its raw result. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

/** Calls a tool that must succeed and returns its structured content. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function expectSuccess(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} failed: ${result.content[0]?.text}`).toBeFalsy();
  expect(result.structuredContent).toBeDefined();
  // Clients that only read text get the same JSON.
  expect(JSON.parse(result.content[0]?.text ?? "null")).toEqual(result.structuredContent);
  return result.structuredContent!;
}

/** Calls a tool that must fail with an `isError` result and returns its message and error code. */
export async function expectFailure(client: Client, name: string, args: Record<string, unknown>): Promise<{ message: string; code: unknown }> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} unexpectedly succeeded: ${JSON.stringify(result.structuredContent)}`).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  return { message: result.content[0]?.text ?? "", code: result._meta?.error_code };
}

/** Runs the sample cases in order, feeding earlier structured results to later ones. */
export async function runToolCalls(client: Client, cases: readonly ToolCallCase[]): Promise<Record<string, Record<string, unknown>>> {
  const previous: Record<string, Record<string, unknown>> = {};
  for (const testCase of cases) {
    const args = typeof testCase.args === "function" ? testCase.args(previous) : testCase.args;
    const name = testCase.name ?? testCase.tool;
    if (testCase.expectError) {
      await expectFailure(client, testCase.tool, args);
    } else {
      previous[name] = await expectSuccess(client, testCase.tool, args);
    }
  }
  return previous;
}
