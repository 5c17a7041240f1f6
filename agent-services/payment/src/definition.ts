import { createValidatePaymentData, type AgentServiceDefinition } from "@switchyard/agent-kit";
import { supportedCurrencies } from "@switchyard/payment-mcp";

/** The payment agent service: its MCP server, compensation and local validation. */
export const paymentAgentDefinition: AgentServiceDefinition = {
  name: "payment",
  version: "0.1.0",
  description:
    "Payments for invoices and repair orders: validate payment details, create a payment link, notify the customer, check its status, refund, or cancel an unpaid link.",
  defaultPort: 8083,
  defaultMcpUrl: "http://127.0.0.1:3002/mcp",
  compensations: { create_payment_link: "cancel_payment_link" },
  // The currency list the payment server enforces, so the local check and the server agree.
  localOperations: { validate_payment_data: createValidatePaymentData(supportedCurrencies) },
};
