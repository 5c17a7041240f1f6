import { z } from "zod";
import { defineLocalOperation, type LocalOperation } from "../local-operation.js";

// Pragmatic address check: one @, no spaces, a dotted domain with a 2+ letter top level.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[A-Za-z]{2,}$/;
const ISO_4217 = /^[A-Z]{3}$/;

function decimalsOf(amount: number): number {
  // Exponent notation (1e-7) and long fractions (0.1 + 0.2) both count their real decimals.
  const [mantissa = "", exponent = "0"] = amount.toString().split("e");
  const fraction = mantissa.split(".")[1] ?? "";
  return Math.max(0, fraction.length - Number(exponent));
}

const fieldError = z.object({ field: z.enum(["email", "amount", "currency"]), message: z.string() });
type PaymentFieldError = z.infer<typeof fieldError>;

/**
 * `validate_payment_data {email, amount, currency}` → `{valid, errors}`: a well-formed email,
 * a positive amount with at most 2 decimals, and one of `currencies` (ISO 4217 codes; the
 * payment agent passes the payment server's `supportedCurrencies`).
 */
export function createValidatePaymentData(currencies: readonly string[]): LocalOperation {
  const bad = currencies.filter((code) => !ISO_4217.test(code));
  if (currencies.length === 0 || bad.length > 0) {
    throw new Error(`createValidatePaymentData needs ISO 4217 codes (three upper-case letters)${bad.length ? `; got ${bad.join(", ")}` : ""}`);
  }
  const supported = new Set(currencies);
  return defineLocalOperation({
    description: `Check payment details before creating a payment link: a well-formed email, a positive amount with at most 2 decimals, and a supported currency (${currencies.join(", ")}). Reports every problem at once.`,
    input: z.object({
      email: z.string().max(320).describe("Payer email address"),
      amount: z.number().describe("Amount in major units, e.g. 1299.99"),
      currency: z.string().max(16).describe(`ISO 4217 currency code, one of ${currencies.join(", ")}`),
    }),
    output: z.object({ valid: z.boolean(), errors: z.array(fieldError) }),
    handler: ({ email, amount, currency }) => {
      const errors: PaymentFieldError[] = [];
      if (email.length > 254 || !EMAIL.test(email)) {
        errors.push({ field: "email", message: `"${email}" is not a valid email address, e.g. name@example.com` });
      }
      if (!Number.isFinite(amount) || amount <= 0) {
        errors.push({ field: "amount", message: "must be greater than 0" });
      } else if (decimalsOf(amount) > 2) {
        errors.push({ field: "amount", message: "must have at most 2 decimal places" });
      }
      if (!supported.has(currency)) {
        const hint = supported.has(currency.trim().toUpperCase()) ? ` (write it as "${currency.trim().toUpperCase()}")` : "";
        errors.push({ field: "currency", message: `"${currency}" is not a supported currency${hint}; use one of ${currencies.join(", ")}` });
      }
      return { valid: errors.length === 0, errors };
    },
  });
}
