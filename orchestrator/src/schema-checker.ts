import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats ships CommonJS; under NodeNext its default export arrives wrapped.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

export interface SchemaProblem {
  path: string;
  message: string;
}

/** Compiles JSON Schemas from capabilities once and reports problems as path + message. */
export class SchemaChecker {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  check(schema: Record<string, unknown>, value: unknown): SchemaProblem[] {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      const { $schema: _ignored, ...rest } = schema;
      validate = this.ajv.compile(rest);
      this.cache.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(describe);
  }
}

function describe(error: ErrorObject): SchemaProblem {
  const base = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (error.keyword === "required") {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { path: base ? `${base}.${missing}` : missing, message: `is required` };
  }
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return { path: base ? `${base}.${extra}` : extra, message: "is not a known parameter" };
  }
  return { path: base, message: error.message ?? "is invalid" };
}
