/** ISO 4217 currencies the payment provider settles; all of them have 2 minor digits. */
export const supportedCurrencies = ["USD", "EUR", "GBP", "CAD", "AUD"] as const;
export type Currency = (typeof supportedCurrencies)[number];

/** Largest amount one payment link may ask for, in major units. */
export const MAX_AMOUNT = 1_000_000;

/** Major units (at most 2 decimals, validated at the tool boundary) to integer cents. */
export function toCents(amount: number): number {
  // Rounding absorbs binary floating-point noise such as 0.1 + 0.2.
  return Math.round(amount * 100);
}

/** Integer cents to major units, exact to 2 decimals. */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** `1234.5, "USD"` -> `1234.50 USD`, for messages people read. */
export function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
