import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { repairOrdersServerDefinition, type RepairOrdersDatabase } from "../src/index.js";

let server: InMemoryServer<RepairOrdersDatabase>;
let before: Record<string, unknown[]>;

beforeAll(async () => {
  server = await startInMemoryServer(repairOrdersServerDefinition);
  before = databaseSnapshot(server.database.sqlite);
});

afterAll(async () => {
  // Every refused call above left the database exactly as seeded.
  expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  await server.close();
});

const order = {
  customer_name: "Alex Kim",
  customer_email: "alex.kim@example.com",
  vehicle: { make: "Honda", model: "Civic", year: 2017 },
  description: "Check engine light on",
};

const cases: { title: string; tool: string; args: Record<string, unknown>; message: RegExp; code?: string }[] = [
  { title: "a bad email", tool: "create_repair_order", args: { ...order, customer_email: "alex.kim" }, message: /customer_email must be a valid email address/ },
  { title: "a missing customer name", tool: "create_repair_order", args: { ...order, customer_name: undefined }, message: /expected string, received undefined at customer_name/ },
  { title: "a blank description", tool: "create_repair_order", args: { ...order, description: "   " }, message: /description must not be empty/ },
  { title: "a missing vehicle", tool: "create_repair_order", args: { ...order, vehicle: undefined }, message: /expected object, received undefined at vehicle/ },
  { title: "a vehicle without a model", tool: "create_repair_order", args: { ...order, vehicle: { make: "Honda", year: 2017 } }, message: /expected string, received undefined at vehicle\.model/ },
  { title: "a vehicle year out of range", tool: "create_repair_order", args: { ...order, vehicle: { ...order.vehicle, year: 1850 } }, message: /vehicle\.year must be 1900 or later/ },
  { title: "a malformed VIN", tool: "create_repair_order", args: { ...order, vehicle: { ...order.vehicle, vin: "1HGCM82633A00435O" } }, message: /vin must be 17 characters/ },
  { title: "a malformed phone number", tool: "create_repair_order", args: { ...order, customer_phone: "call me" }, message: /customer_phone must be 7-20 digits/ },
  { title: "an unknown repair order", tool: "get_repair_order_details", args: { repair_order_id: "RO-999999" }, message: /Unknown repair order "RO-999999".*list_repair_orders.*1234/, code: "UNKNOWN_REPAIR_ORDER" },
  { title: "a malformed repair order id", tool: "get_repair_history", args: { repair_order_id: "RO 1/2" }, message: /repair_order_id is 1-32 characters/ },
  { title: "a missing repair order id", tool: "get_repair_order_details", args: {}, message: /expected string, received undefined at repair_order_id/ },
  { title: "an unknown status", tool: "update_repair_order_status", args: { repair_order_id: "1234", status: "done" }, message: /expected one of "pending"\|.*"cancelled" at status/ },
  { title: "a status change on an unknown repair order", tool: "update_repair_order_status", args: { repair_order_id: "nope", status: "scheduled" }, message: /Unknown repair order "nope"/, code: "UNKNOWN_REPAIR_ORDER" },
  { title: "an unknown technician", tool: "assign_technician", args: { repair_order_id: "1234", technician_id: "TECH-99" }, message: /Unknown technician "TECH-99"\. Known technicians: TECH-01 \(Avery Morgan.*TECH-02.*TECH-03/, code: "UNKNOWN_TECHNICIAN" },
  { title: "a technician for an unknown repair order", tool: "assign_technician", args: { repair_order_id: "nope", technician_id: "TECH-01" }, message: /Unknown repair order/, code: "UNKNOWN_REPAIR_ORDER" },
  { title: "an empty note", tool: "add_repair_notes", args: { repair_order_id: "1234", note: "" }, message: /note must not be empty/ },
  { title: "a note on an unknown repair order", tool: "add_repair_notes", args: { repair_order_id: "nope", note: "hi" }, message: /Unknown repair order/, code: "UNKNOWN_REPAIR_ORDER" },
  { title: "a zero quantity", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234", quantity: 0 }, message: /quantity must be at least 1/ },
  { title: "a fractional quantity", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234", quantity: 0.5 }, message: /quantity must be a whole number/ },
  { title: "a missing quantity", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234" }, message: /expected number, received undefined at quantity/ },
  { title: "a bad part number", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "brake pads", quantity: 1 }, message: /part_number is 3-20 characters/ },
  { title: "a negative price", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234", quantity: 1, unit_price: -1 }, message: /unit_price must not be negative/ },
  { title: "a price with fractions of a cent", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234", quantity: 1, unit_price: 89.999 }, message: /unit_price must have at most two decimals/, code: "INVALID_AMOUNT" },
  { title: "a malformed reservation id", tool: "add_part_to_repair_order", args: { repair_order_id: "1234", part_number: "1234", quantity: 1, reservation_id: "res-1" }, message: /reservation_id looks like PRS-/ },
  { title: "a part for a completed repair order", tool: "add_part_to_repair_order", args: { repair_order_id: "RO-000102", part_number: "1234", quantity: 1 }, message: /RO-000102 is completed, so it no longer accepts changes/, code: "REPAIR_ORDER_NOT_OPEN" },
  { title: "a part for an unknown repair order", tool: "add_part_to_repair_order", args: { repair_order_id: "nope", part_number: "1234", quantity: 1 }, message: /Unknown repair order/, code: "UNKNOWN_REPAIR_ORDER" },
  { title: "an invalid transition", tool: "update_repair_order_status", args: { repair_order_id: "1234", status: "closed" }, message: /current status is in_progress; allowed next statuses: parts_ordered, quality_check, cancelled/, code: "INVALID_STATUS_TRANSITION" },
  { title: "a list filter with an unknown status", tool: "list_repair_orders", args: { status: "archived" }, message: /expected one of "pending"\|.*at status/ },
];

describe("bad input", () => {
  it.each(cases)("refuses $title with a clear message", async ({ tool, args, message, code }) => {
    const failure = await expectFailure(server.client, tool, args);
    expect(failure.message).toMatch(message);
    if (code !== undefined) expect(failure.code).toBe(code);
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });
});
