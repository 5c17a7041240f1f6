import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect } from "vitest";
import type { ToolCallCase } from "../tool-call-case.js";

/** A tool result as tests read it: text blocks, structured content, and the error code in `_meta`. */
export interface ToolCallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** Structured tool output as tests read it: any field may be inspected. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Structured = Record<string, any>;

/** Calls a tool and returns its raw result. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<ToolCallResult> {
  return (await client.callTool({ name, arguments: args })) as ToolCallResult;
}

/** The text blocks of a tool result, joined by newlines. */
export function toolResultText(result: ToolCallResult): string {
  return result.content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("\n");
}

/** Calls a tool that must succeed, checks its text mirrors its structured content, and returns the latter. */
export async function expectSuccess(client: Client, name: string, args: Record<string, unknown>): Promise<Structured> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} failed: ${toolResultText(result)}`).toBeFalsy();
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
  return { message: toolResultText(result), code: result._meta?.error_code };
}

/** Runs sample calls in order, feeding earlier structured results to later ones; returns them by case name. */
export async function runToolCalls(client: Client, cases: readonly ToolCallCase[]): Promise<Record<string, Structured>> {
  const previous: Record<string, Structured> = {};
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
