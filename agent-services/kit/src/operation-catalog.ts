import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AgentServiceError, type FieldError } from "./agent-service-error.js";
import type { JsonSchema, JsonSchemaCheck, JsonSchemaCompiler } from "./json-schema-validator.js";
import type { LocalOperation, LocalOperations } from "./local-operation.js";
import type { OperationAnnotations, OperationDescriptor } from "./wire-format.js";

/** An operation served by a tool of the MCP server. */
export interface ToolOperation {
  kind: "mcp";
  name: string;
  descriptor: OperationDescriptor;
  /** The tool's input schema declares `idempotency_key`, so the request context's key is passed on. */
  acceptsIdempotencyKey: boolean;
  checkInput(value: unknown): FieldError[];
  /** Problems with a structured result, or an empty list; tools without an output schema accept anything. */
  checkOutput(value: unknown): FieldError[];
}

/** An operation the service runs itself. */
export interface LocalCatalogOperation {
  kind: "local";
  name: string;
  descriptor: OperationDescriptor;
  operation: LocalOperation;
}

export type CatalogOperation = ToolOperation | LocalCatalogOperation;

export interface OperationCatalogOptions {
  localOperations: LocalOperations;
  /** operation -> compensating operation. */
  compensations: Record<string, string>;
  compiler: JsonSchemaCompiler;
  log: (message: string) => void;
}

const PURE_FUNCTION: OperationAnnotations = { read_only: true, destructive: false, idempotent: true };

function toolAnnotations(tool: Tool): OperationAnnotations {
  // MCP's defaults when a hint is absent: not read-only, destructive, not idempotent.
  const readOnly = tool.annotations?.readOnlyHint ?? false;
  return {
    read_only: readOnly,
    destructive: readOnly ? false : (tool.annotations?.destructiveHint ?? true),
    idempotent: tool.annotations?.idempotentHint ?? false,
  };
}

function lazyCheck(compiler: JsonSchemaCompiler, schema: JsonSchema, describe: string): JsonSchemaCheck {
  let check: JsonSchemaCheck | undefined;
  return (value) => {
    if (!check) {
      try {
        check = compiler.fieldChecker(schema);
      } catch (error) {
        throw new AgentServiceError(502, "MCP_PROTOCOL_ERROR", `The MCP server publishes ${describe} that cannot be compiled: ${String(error)}`, undefined, {
          retryable: false,
        });
      }
    }
    return check(value);
  };
}

/**
 * The operations one service offers: its MCP tools (replaced whenever the tool list is
 * fetched again) and its local operations, with compensations and JSON Schemas.
 */
export class OperationCatalog {
  private tools = new Map<string, ToolOperation>();
  private readonly locals = new Map<string, LocalCatalogOperation>();
  private toolListText: string | undefined;
  private changedAt: Date | null = null;

  constructor(private readonly options: OperationCatalogOptions) {
    for (const [name, operation] of Object.entries(options.localOperations)) {
      this.locals.set(name, {
        kind: "local",
        name,
        operation,
        descriptor: {
          name,
          description: operation.description,
          kind: "local",
          input_schema: z.toJSONSchema(operation.input, { target: "draft-07", io: "input" }) as JsonSchema,
          output_schema: z.toJSONSchema(operation.output, { target: "draft-07", io: "output" }) as JsonSchema,
          annotations: { ...PURE_FUNCTION, ...operation.annotations },
          compensation: options.compensations[name] ?? null,
        },
      });
    }
  }

  /** True once a tool list has been received from the MCP server. */
  get toolsLoaded(): boolean {
    return this.toolListText !== undefined;
  }

  /** When the operation list last changed (first load included); null before the first load. */
  get updatedAt(): Date | null {
    return this.changedAt;
  }

  /** Replaces the MCP operations with a freshly listed set. */
  setTools(tools: readonly Tool[]): void {
    const text = JSON.stringify(tools);
    if (text === this.toolListText) return;
    const { compensations, compiler, log } = this.options;
    const next = new Map<string, ToolOperation>();
    for (const tool of tools) {
      if (this.locals.has(tool.name)) {
        log(`tool "${tool.name}" is shadowed by the local operation of the same name`);
        continue;
      }
      const inputSchema = tool.inputSchema as JsonSchema;
      const outputSchema = (tool.outputSchema as JsonSchema | undefined) ?? null;
      const properties = inputSchema.properties;
      next.set(tool.name, {
        kind: "mcp",
        name: tool.name,
        acceptsIdempotencyKey: typeof properties === "object" && properties !== null && "idempotency_key" in properties,
        checkInput: lazyCheck(compiler, inputSchema, `an input schema for ${tool.name}`),
        checkOutput: outputSchema ? lazyCheck(compiler, outputSchema, `an output schema for ${tool.name}`) : () => [],
        descriptor: {
          name: tool.name,
          description: tool.description ?? tool.title ?? "",
          kind: "mcp",
          input_schema: inputSchema,
          output_schema: outputSchema,
          annotations: toolAnnotations(tool),
          compensation: compensations[tool.name] ?? null,
        },
      });
    }
    this.tools = next;
    this.toolListText = text;
    this.changedAt = new Date();
    for (const [operation, compensation] of Object.entries(compensations)) {
      for (const name of [operation, compensation]) {
        if (!this.find(name)) log(`compensation ${operation} -> ${compensation} names "${name}", which this service does not offer`);
      }
    }
  }

  find(name: string): CatalogOperation | undefined {
    return this.locals.get(name) ?? this.tools.get(name);
  }

  /** Every operation name, sorted, for error messages. */
  names(): string[] {
    return [...new Set([...this.tools.keys(), ...this.locals.keys()])].sort();
  }

  /** MCP operations first (in the server's order), then local ones. */
  descriptors(): OperationDescriptor[] {
    return [...[...this.tools.values()].map((entry) => entry.descriptor), ...[...this.locals.values()].map((entry) => entry.descriptor)];
  }
}
