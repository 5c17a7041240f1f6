import type { McpServerDefinition } from "@switchyard/mcp-kit";
import { openPaymentDatabase, type PaymentDatabase } from "./database.js";
import { createPaymentServer, PAYMENT_SERVER_VERSION } from "./server.js";

/** How the HTTP and stdio entries start the payment server. */
export const paymentServerDefinition: McpServerDefinition<PaymentDatabase> = {
  name: "payment",
  version: PAYMENT_SERVER_VERSION,
  portVariable: "PAYMENT_MCP_PORT",
  defaultPort: 3002,
  openDatabase: openPaymentDatabase,
  createServer: createPaymentServer,
};
