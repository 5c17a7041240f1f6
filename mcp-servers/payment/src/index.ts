export { createPaymentServer, PAYMENT_SERVER_VERSION, type PaymentServerOptions } from "./server.js";
export { openPaymentDatabase, type PaymentDatabase, type PaymentDb } from "./database.js";
export { paymentServerDefinition } from "./definition.js";
export { seedPaymentIds } from "./seed.js";
export { supportedCurrencies, type Currency } from "./money.js";
export { acceptedMethods, paymentMethods, type PaymentMethod } from "./payment-methods.js";
export * as paymentSchema from "./schema.js";
