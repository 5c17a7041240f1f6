import type { Currency } from "./money.js";

export const paymentMethods = ["card", "ach", "sepa_debit", "bacs_debit", "interac", "becs_debit", "apple_pay", "google_pay", "paypal"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** What customers can pay with, per currency: cards and wallets everywhere, plus the local bank rail. */
export const acceptedMethods: Readonly<Record<Currency, readonly PaymentMethod[]>> = {
  USD: ["card", "ach", "apple_pay", "google_pay", "paypal"],
  EUR: ["card", "sepa_debit", "apple_pay", "google_pay", "paypal"],
  GBP: ["card", "bacs_debit", "apple_pay", "google_pay", "paypal"],
  CAD: ["card", "interac", "apple_pay", "google_pay"],
  AUD: ["card", "becs_debit", "apple_pay", "google_pay"],
};

export interface CurrencyMethods {
  currency: Currency;
  methods: PaymentMethod[];
}

/** Accepted methods for one currency, or for every supported currency. */
export function getPaymentMethods(currency?: Currency): CurrencyMethods[] {
  const currencies = currency ? [currency] : (Object.keys(acceptedMethods) as Currency[]);
  return currencies.map((code) => ({ currency: code, methods: [...acceptedMethods[code]] }));
}
