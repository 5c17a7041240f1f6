import type { z } from "zod";
import type { OperationAnnotations } from "./wire-format.js";

/** What a local operation's handler receives besides its validated input. */
export interface LocalOperationContext {
  /** Aborts when the request's deadline passes or the service stops. */
  signal: AbortSignal;
  request_id: string;
}

/** An operation the agent service runs itself, without its MCP server (e.g. input validation). */
export interface LocalOperation<TInput extends z.ZodType = z.ZodType, TOutput extends z.ZodType = z.ZodType> {
  description: string;
  input: TInput;
  output: TOutput;
  /** Defaults describe a pure function: read-only, not destructive, idempotent. */
  annotations?: Partial<OperationAnnotations>;
  handler: (input: z.output<TInput>, context: LocalOperationContext) => z.input<TOutput> | Promise<z.input<TOutput>>;
}

/** Local operations by name. */
export type LocalOperations = Record<string, LocalOperation>;

/**
 * Declares a local operation with its handler typed from the zod schemas.
 * @example defineLocalOperation({ description: "Echo", input: z.object({ a: z.string() }), output: z.object({ a: z.string() }), handler: (x) => x })
 */
export function defineLocalOperation<TInput extends z.ZodType, TOutput extends z.ZodType>(
  operation: LocalOperation<TInput, TOutput>,
): LocalOperation {
  return operation as unknown as LocalOperation;
}
