/**
 * One sample call of a tool, used by the cross-transport test suite. `args` may be
 * a function of the structured results of the earlier cases (keyed by case name),
 * so that e.g. release_reservation can use the id that reserve_stock returned.
 */
export interface ToolCallCase {
  /** Unique name of the case; defaults to the tool name. */
  name?: string;
  tool: string;
  args: Record<string, unknown> | ((previous: Record<string, Record<string, unknown>>) => Record<string, unknown>);
  /** True when the call is expected to return an `isError` result. */
  expectError?: boolean;
}
