import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import {
  repairOrdersSchema,
  repairOrdersServerDefinition,
  repairOrderStatuses,
  repairOrderTransitions,
  type RepairOrdersDatabase,
  type RepairOrderStatus,
} from "../src/index.js";

const { repairOrders, repairOrderStatusHistory } = repairOrdersSchema;

// The contract, written out independently of the source so that a change to it fails here.
const contract: Record<RepairOrderStatus, RepairOrderStatus[]> = {
  pending: ["scheduled", "cancelled"],
  scheduled: ["in_progress", "cancelled"],
  in_progress: ["parts_ordered", "quality_check", "cancelled"],
  parts_ordered: ["in_progress", "cancelled"],
  quality_check: ["customer_approval", "in_progress"],
  customer_approval: ["ready_for_pickup", "in_progress"],
  ready_for_pickup: ["completed", "in_progress"],
  completed: ["invoiced"],
  invoiced: ["closed"],
  closed: [],
  cancelled: [],
};

const subject = "RO-000101";
let server: InMemoryServer<RepairOrdersDatabase>;

beforeAll(async () => {
  server = await startInMemoryServer(repairOrdersServerDefinition);
});

afterAll(async () => {
  await server.close();
});

function row() {
  const found = server.database.db.select().from(repairOrders).where(eq(repairOrders.id, subject)).get();
  if (!found) throw new Error(`${subject} is missing`);
  return found;
}

function history() {
  return server.database.db
    .select()
    .from(repairOrderStatusHistory)
    .where(eq(repairOrderStatusHistory.repairOrderId, subject))
    .orderBy(asc(repairOrderStatusHistory.sequence))
    .all();
}

// Test setup only: put the subject in a given status without going through the tool.
function putInStatus(status: RepairOrderStatus): void {
  server.database.db.update(repairOrders).set({ status }).where(eq(repairOrders.id, subject)).run();
}

const pairs = repairOrderStatuses.flatMap((from) => repairOrderStatuses.map((to) => ({ from, to })));

describe("the status transition matrix", () => {
  it("is exported exactly as the contract says, and cannot be changed at run time", () => {
    expect(repairOrderStatuses).toEqual(Object.keys(contract));
    expect(repairOrderTransitions).toEqual(contract);
    expect(() => {
      (repairOrderTransitions.closed as RepairOrderStatus[]).push("pending");
    }).toThrow(TypeError);
    expect(repairOrderTransitions.closed).toEqual([]);
  });

  it("is described to the model in the tool's input schema", async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((candidate) => candidate.name === "update_repair_order_status");
    const status = (tool?.inputSchema.properties as Record<string, { enum?: string[] }>).status;
    expect(status?.enum).toEqual([...repairOrderStatuses]);
  });

  it.each(pairs.filter(({ from, to }) => contract[from].includes(to)))("allows $from -> $to and writes history", async ({ from, to }) => {
    putInStatus(from);
    const historyBefore = history();
    const result = await expectSuccess(server.client, "update_repair_order_status", { repair_order_id: subject, status: to, reason: `${from} to ${to}` });
    expect(result).toMatchObject({ repair_order_id: subject, previous_status: from, status: to, changed: true, allowed_next_statuses: contract[to] });
    expect(row().status).toBe(to);
    expect(row().updatedAt.toISOString()).toBe(result.updated_at);
    const historyAfter = history();
    expect(historyAfter).toHaveLength(historyBefore.length + 1);
    expect(historyAfter.at(-1)).toMatchObject({ fromStatus: from, toStatus: to, reason: `${from} to ${to}` });
  });

  it.each(pairs.filter(({ from, to }) => from !== to && !contract[from].includes(to)))(
    "refuses $from -> $to, naming the current status and the allowed ones, and changes nothing",
    async ({ from, to }) => {
      putInStatus(from);
      const before = databaseSnapshot(server.database.sqlite);
      const failure = await expectFailure(server.client, "update_repair_order_status", { repair_order_id: subject, status: to });
      expect(failure.code).toBe("INVALID_STATUS_TRANSITION");
      expect(failure.message).toContain(`from ${from} to ${to}`);
      if (contract[from].length === 0) {
        expect(failure.message).toContain(`${from} is a final status`);
      } else {
        expect(failure.message).toContain(`current status is ${from}; allowed next statuses: ${contract[from].join(", ")}`);
      }
      expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
    },
  );

  it.each(repairOrderStatuses.map((status) => ({ status })))("treats $status -> $status as a no-op success", async ({ status }) => {
    putInStatus(status);
    const before = databaseSnapshot(server.database.sqlite);
    const result = await expectSuccess(server.client, "update_repair_order_status", { repair_order_id: subject, status });
    expect(result).toMatchObject({ previous_status: status, status, changed: false, allowed_next_statuses: contract[status] });
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("walks a new repair order from pending to closed, with every step in its history", async () => {
    const created = await expectSuccess(server.client, "create_repair_order", {
      customer_name: "Dana Cruz",
      customer_email: "dana.cruz@example.com",
      vehicle: { make: "Toyota", model: "Corolla", year: 2021 },
      description: "Brake fluid flush",
    });
    const id = created.repair_order_id as string;
    const path: RepairOrderStatus[] = [
      "scheduled",
      "in_progress",
      "parts_ordered",
      "in_progress",
      "quality_check",
      "customer_approval",
      "ready_for_pickup",
      "completed",
      "invoiced",
      "closed",
    ];
    for (const status of path) {
      await expectSuccess(server.client, "update_repair_order_status", { repair_order_id: id, status, reason: `to ${status}` });
    }
    const { history: entries } = await expectSuccess(server.client, "get_repair_history", { repair_order_id: id });
    expect(entries.map((entry: { from_status: string | null; to_status: string }) => `${entry.from_status}>${entry.to_status}`)).toEqual(
      ["null>pending", ...path.map((status, index) => `${index === 0 ? "pending" : path[index - 1]}>${status}`)],
    );
    const closed = await expectFailure(server.client, "update_repair_order_status", { repair_order_id: id, status: "in_progress" });
    expect(closed.message).toContain("closed is a final status");
  });
});
