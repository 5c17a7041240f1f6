import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { FieldError } from "./agent-service-error.js";

/** A JSON Schema object as published in `tools/list`. */
export type JsonSchema = Record<string, unknown>;

/** Returns the problems with `value`; an empty list means valid. */
export type JsonSchemaCheck = (value: unknown) => FieldError[];

// ajv-formats is CommonJS and types itself against its own copy of ajv; under NodeNext its
// default export may arrive wrapped.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

// strict: false tolerates the extra keywords servers publish; allErrors reports every field at once.
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: true, validateSchema: false } as const;

const dialects = {
  draft07: () => new Ajv(AJV_OPTIONS),
  draft2019: () => new Ajv2019(AJV_OPTIONS) as unknown as Ajv,
  draft2020: () => new Ajv2020(AJV_OPTIONS) as unknown as Ajv,
};
const instances = new Map<keyof typeof dialects, Ajv>();

// MCP SDK servers publish draft-07; zod's default (and some servers) is 2020-12.
function ajvFor(schema: JsonSchema): Ajv {
  const uri = typeof schema.$schema === "string" ? schema.$schema : "";
  const dialect = uri.includes("2020-12") ? "draft2020" : uri.includes("2019-09") ? "draft2019" : "draft07";
  let ajv = instances.get(dialect);
  if (!ajv) {
    ajv = addFormats(dialects[dialect]());
    instances.set(dialect, ajv);
  }
  return ajv;
}

// JSON Pointer segments (`/items/0/a~1b`) to a dot path (`items.0.a/b`).
function pointerToPath(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function toFieldError(error: ErrorObject): FieldError {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    return { path: [...path, params.missingProperty].join("."), message: "is required" };
  }
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return { path: [...path, params.additionalProperty].join("."), message: "is not an allowed property" };
  }
  let message = error.message ?? `fails the "${error.keyword}" rule`;
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message = `must be one of: ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  return { path: path.join("."), message };
}

/**
 * Compiles JSON Schemas once per distinct schema text. Ajv keeps every compiled schema
 * keyed by object identity, so compiling each fresh `tools/list` copy again would grow
 * without bound on a long-lived client; this cache keys by the serialized schema instead.
 */
export class JsonSchemaCompiler implements jsonSchemaValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  private compile(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = ajvFor(schema).compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** A checker that reports every failing field with its path. Throws when the schema itself does not compile. */
  fieldChecker(schema: JsonSchema): JsonSchemaCheck {
    const validate = this.compile(schema);
    return (value) => (validate(value) ? [] : (validate.errors ?? []).map(toFieldError));
  }

  /** The SDK's validator interface, so the MCP client shares this cache for output schemas. */
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const check = this.fieldChecker(schema as JsonSchema);
    return (input) => {
      const errors = check(input);
      if (errors.length === 0) return { valid: true, data: input as T, errorMessage: undefined };
      return { valid: false, data: undefined, errorMessage: formatFieldErrors(errors) };
    };
  }

  /** Number of distinct compiled schemas (bounded by the distinct schemas seen). */
  get size(): number {
    return this.validators.size;
  }
}

/** `quantity: must be > 0; sku: is required` */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join("; ");
}
