import { z } from "zod";
import { defineLocalOperation } from "../local-operation.js";

const PART_NUMBER = /^[A-Z0-9-]{3,20}$/;

/** `validate_part_number {part_number}` → `{valid, normalized, errors}`; part numbers are 3-20 of A-Z, 0-9 and "-". */
export const validatePartNumber = defineLocalOperation({
  description:
    'Check a part number before looking it up: 3 to 20 characters of A-Z, 0-9 and "-", compared upper-cased. Returns the normalized (trimmed, upper-cased) form when valid.',
  input: z.object({ part_number: z.string().max(200).describe("Part number as the customer or technician wrote it") }),
  output: z.object({
    valid: z.boolean(),
    normalized: z.string().nullable(),
    errors: z.array(z.string()),
  }),
  handler: ({ part_number }) => {
    const candidate = part_number.trim().toUpperCase();
    const errors: string[] = [];
    if (candidate.length < 3 || candidate.length > 20) {
      errors.push(`must be 3 to 20 characters long (got ${candidate.length})`);
    }
    const invalid = [...new Set(candidate.replace(/[A-Z0-9-]/g, ""))];
    if (invalid.length > 0) {
      errors.push(`may only contain A-Z, 0-9 and "-" (found ${invalid.map((c) => JSON.stringify(c)).join(", ")})`);
    }
    const valid = errors.length === 0 && PART_NUMBER.test(candidate);
    return { valid, normalized: valid ? candidate : null, errors };
  },
});
