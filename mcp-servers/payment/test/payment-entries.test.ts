import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, removeDataDir, startHttpReplicas, stdioEntryTransport, temporaryDataDir, type HttpReplicas } from "@switchyard/mcp-kit/testing";
import { openPaymentDatabase, seedPaymentIds } from "../src/index.js";
import { snapshot } from "./payment-test-context.js";

const httpEntry = fileURLToPath(new URL("../src/http.ts", import.meta.url));
const stdioEntry = fileURLToPath(new URL("../src/stdio.ts", import.meta.url));

describe("payment entries as real processes", () => {
  const dataDir = temporaryDataDir("payment-http");
  let replicas: HttpReplicas;

  beforeAll(async () => {
    // Two processes over one data folder, like two replicas of the service.
    replicas = await startHttpReplicas(httpEntry, { DATA_DIR: dataDir, PAYMENT_MCP_PORT: "0" }, { clientName: "payment-entries-test" });
  });

  afterAll(async () => {
    await replicas?.stop();
    removeDataDir(dataDir);
  });

  it("serves /health and the seeded payments over Streamable HTTP", async () => {
    const health = await fetch(`${replicas.servers[1]!.url}/health`);
    expect(await health.json()).toMatchObject({ status: "ok", server: "payment" });
    expect(replicas.clients[0]!.getServerVersion()?.name).toBe("switchyard-payment");
    const seeded = await callTool(replicas.clients[1]!, "check_payment_status", { payment_id: seedPaymentIds.paid });
    expect(seeded.structuredContent).toMatchObject({ status: "paid", amount: 249.99 });
  });

  it("never refunds more than was paid when two processes race", async () => {
    const link = await callTool(replicas.clients[0]!, "create_payment_link", { invoice_number: "RO-RACE", amount: 100, customer_email: "race@example.com" });
    const paymentId = link.structuredContent?.payment_id as string;
    expect((await callTool(replicas.clients[1]!, "mark_payment_paid", { payment_id: paymentId })).isError).toBeFalsy();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => callTool(replicas.clients[n % 2]!, "process_refund", { payment_id: paymentId, amount: 30, reason_code: "duplicate" })),
    );
    expect(results.filter((result) => !result.isError)).toHaveLength(3);

    const database = openPaymentDatabase(dataDir);
    try {
      const { payments, refunds } = snapshot(database);
      expect(payments.find((payment) => payment.id === paymentId)).toMatchObject({ refundedCents: 9_000, status: "partially_refunded" });
      expect(refunds.filter((refund) => refund.paymentId === paymentId)).toHaveLength(3);
    } finally {
      database.close();
    }
  });

  it("serves the same tools over stdio", async () => {
    const stdioDataDir = temporaryDataDir("payment-stdio");
    const transport = stdioEntryTransport(stdioEntry, { DATA_DIR: stdioDataDir });
    const client = new Client({ name: "payment-stdio-test", version: "0.1.0" });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("process_refund");
      const refund = await callTool(client, "process_refund", { payment_id: seedPaymentIds.paid, amount: 9.99, reason_code: "other" });
      expect(refund.structuredContent).toMatchObject({ amount: 9.99, payment_status: "partially_refunded", remaining_refundable: 240 });
    } finally {
      await client.close();
      removeDataDir(stdioDataDir);
    }
  });
});
