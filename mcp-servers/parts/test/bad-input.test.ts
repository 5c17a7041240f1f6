import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { partsServerDefinition, type PartsDatabase } from "../src/index.js";

let server: InMemoryServer<PartsDatabase>;
let before: Record<string, unknown[]>;

beforeAll(async () => {
  server = await startInMemoryServer(partsServerDefinition);
  before = databaseSnapshot(server.database.sqlite);
});

afterAll(async () => {
  // Every refused call above left the database exactly as seeded.
  expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  await server.close();
});

const partNumberRule = /3-20 characters of upper-case letters, digits and hyphens/;

const cases: { title: string; tool: string; args: Record<string, unknown>; message: RegExp; code?: string }[] = [
  { title: "lower-case part number", tool: "get_part_details", args: { part_number: "bp-4471" }, message: partNumberRule },
  { title: "too short a part number", tool: "check_part_availability", args: { part_number: "12" }, message: partNumberRule },
  { title: "too long a part number", tool: "get_alternative_parts", args: { part_number: "A".repeat(21) }, message: partNumberRule },
  { title: "part number with a space", tool: "reserve_parts", args: { part_numbers: ["BP 4471"], repair_order_id: "1234" }, message: partNumberRule },
  { title: "bad part number as a quantity_map key", tool: "reserve_parts", args: { part_numbers: ["1234"], repair_order_id: "1234", quantity_map: { "x!": 1 } }, message: partNumberRule },
  { title: "unknown part number", tool: "get_part_details", args: { part_number: "ZZ-0000" }, message: /Unknown part number "ZZ-0000".*1234/, code: "UNKNOWN_PART" },
  { title: "unknown part for compatibility", tool: "check_vehicle_compatibility", args: { part_number: "ZZ-0000", make: "Toyota", model: "Camry", year: 2020 }, message: /Unknown part number/, code: "UNKNOWN_PART" },
  { title: "zero quantity", tool: "check_part_availability", args: { part_number: "1234", quantity: 0 }, message: /quantity must be at least 1/ },
  { title: "negative quantity", tool: "check_part_availability", args: { part_number: "1234", quantity: -2 }, message: /quantity must be at least 1/ },
  { title: "fractional quantity", tool: "check_part_availability", args: { part_number: "1234", quantity: 1.5 }, message: /quantity must be a whole number/ },
  { title: "zero quantity in quantity_map", tool: "reserve_parts", args: { part_numbers: ["1234"], repair_order_id: "1234", quantity_map: { "1234": 0 } }, message: /quantity must be at least 1/ },
  { title: "quantity_map key not in part_numbers", tool: "reserve_parts", args: { part_numbers: ["1234"], repair_order_id: "1234", quantity_map: { "OF-1010": 2 } }, message: /quantity_map names OF-1010, which is not in part_numbers/, code: "QUANTITY_FOR_UNLISTED_PART" },
  { title: "duplicate part numbers", tool: "reserve_parts", args: { part_numbers: ["1234", "1234"], repair_order_id: "1234" }, message: /lists 1234 more than once/, code: "DUPLICATE_PART_NUMBER" },
  { title: "empty part_numbers", tool: "reserve_parts", args: { part_numbers: [], repair_order_id: "1234" }, message: /part_numbers must list at least one part/ },
  { title: "missing repair_order_id", tool: "reserve_parts", args: { part_numbers: ["1234"] }, message: /expected string, received undefined at repair_order_id/ },
  { title: "malformed repair_order_id", tool: "reserve_parts", args: { part_numbers: ["1234"], repair_order_id: "RO 12/34" }, message: /repair_order_id is 1-32 characters/ },
  { title: "missing part_number", tool: "get_part_details", args: {}, message: /expected string, received undefined at part_number/ },
  { title: "malformed reservation id", tool: "release_parts", args: { reservation_id: "res_123" }, message: /reservation_id looks like PRS-/ },
  { title: "unknown reservation id", tool: "consume_parts", args: { reservation_id: "PRS-deadbeef" }, message: /Unknown part reservation "PRS-deadbeef"/, code: "UNKNOWN_RESERVATION" },
  { title: "year out of range", tool: "check_vehicle_compatibility", args: { part_number: "1234", make: "Toyota", model: "Camry", year: 1800 }, message: /year must be 1900 or later/ },
  { title: "missing make", tool: "check_vehicle_compatibility", args: { part_number: "1234", model: "Camry", year: 2020 }, message: /expected string, received undefined at make/ },
  { title: "blank model", tool: "check_vehicle_compatibility", args: { part_number: "1234", make: "Toyota", model: "  ", year: 2020 }, message: /model must not be empty/ },
  { title: "zero search limit", tool: "search_parts", args: { limit: 0 }, message: /expected number to be >=1 at limit/ },
  { title: "unknown category", tool: "search_parts", args: { category: "tyres" }, message: /Known categories: brakes/, code: "UNKNOWN_CATEGORY" },
];

describe("bad input", () => {
  it.each(cases)("refuses $title with a clear message", async ({ tool, args, message, code }) => {
    const failure = await expectFailure(server.client, tool, args);
    expect(failure.message).toMatch(message);
    if (code !== undefined) expect(failure.code).toBe(code);
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });
});
