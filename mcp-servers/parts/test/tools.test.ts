import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, expectSuccess, runToolCalls, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { partsServerDefinition, type PartsDatabase } from "../src/index.js";
import { toolCalls } from "./tool-calls.js";

const toolNames = [
  "search_parts",
  "check_part_availability",
  "get_part_details",
  "reserve_parts",
  "release_parts",
  "consume_parts",
  "check_vehicle_compatibility",
  "get_alternative_parts",
];

let server: InMemoryServer<PartsDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(partsServerDefinition);
});

afterEach(async () => {
  await server.close();
});

describe("parts tools", () => {
  it("lists every tool with input and output schemas and all four annotations", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...toolNames].sort());
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual(["destructiveHint", "idempotentHint", "openWorldHint", "readOnlyHint"]);
    }
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name).sort();
    expect(readOnly).toEqual(["check_part_availability", "check_vehicle_compatibility", "get_alternative_parts", "get_part_details", "search_parts"]);
  });

  it("covers every tool in the sample calls, and each one succeeds on a fresh database", async () => {
    expect(new Set(toolCalls.map((testCase) => testCase.tool))).toEqual(new Set(toolNames));
    const results = await runToolCalls(server.client, toolCalls);
    expect(results.consume_parts).toMatchObject({ status: "consumed", already_consumed: false });
    expect(results.release_parts).toMatchObject({ status: "released", already_released: false });
  });

  it("serves the seeded part 1234, a brake pad set in stock at 89.99 that fits a 2020 Toyota Camry", async () => {
    const details = await expectSuccess(server.client, "get_part_details", { part_number: "1234" });
    expect(details).toMatchObject({ part_number: "1234", name: "Brake Pad Set", price: 89.99, currency: "USD", available: 24, reserved: 0, in_stock: true });
    expect(details.compatibility).toEqual(
      expect.arrayContaining([
        { make: "Toyota", model: "Camry", year_from: 2018, year_to: 2024 },
        { make: "Honda", model: "Accord", year_from: 2018, year_to: 2023 },
      ]),
    );
    expect(details.alternatives.map((alternative: { part_number: string }) => alternative.part_number)).toEqual(["BP-4471", "BP-4480"]);
  });

  it("searches by text, category, vehicle and stock", async () => {
    const camry = await expectSuccess(server.client, "search_parts", { query: "brake pad", make: "toyota", model: "CAMRY", year: 2020 });
    expect(camry.parts.map((part: { part_number: string }) => part.part_number)).toEqual(["1234", "BP-4471", "BP-4480"]);

    const inStock = await expectSuccess(server.client, "search_parts", { query: "brake pad", make: "Toyota", model: "Camry", year: 2020, in_stock_only: true });
    expect(inStock.parts.map((part: { part_number: string }) => part.part_number)).toEqual(["1234", "BP-4471"]);

    // BP-4471 is listed for Accords up to 2022 only.
    const accord2023 = await expectSuccess(server.client, "search_parts", { category: "brakes", make: "Honda", model: "Accord", year: 2023 });
    expect(accord2023.parts.map((part: { part_number: string }) => part.part_number)).toEqual(["1234", "BR-2210"]);

    const tooOld = await expectSuccess(server.client, "search_parts", { query: "brake", make: "Toyota", model: "Camry", year: 2010 });
    expect(tooOld.parts).toEqual([]);

    const filters = await expectSuccess(server.client, "search_parts", { category: "Filters", limit: 2 });
    expect(filters.parts).toHaveLength(2);
    expect(filters.parts.every((part: { category: string }) => part.category === "filters")).toBe(true);

    // Wildcards in the query are plain characters, not patterns.
    const percent = await expectSuccess(server.client, "search_parts", { query: "%" });
    expect(percent.parts).toEqual([]);

    const all = await expectSuccess(server.client, "search_parts", { limit: 100 });
    expect(all.parts).toHaveLength(10);
  });

  it("refuses an unknown category and names the known ones", async () => {
    const failure = await expectFailure(server.client, "search_parts", { category: "tyres" });
    expect(failure.code).toBe("UNKNOWN_CATEGORY");
    expect(failure.message).toContain('Unknown category "tyres"');
    expect(failure.message).toContain("brakes, electrical, filters, ignition, wipers");
  });

  it("checks availability, defaulting to one unit and offering in-stock alternatives when short", async () => {
    const one = await expectSuccess(server.client, "check_part_availability", { part_number: "1234" });
    expect(one).toMatchObject({ requested: 1, available: 24, sufficient: true, unit_price: 89.99, alternatives_in_stock: [] });

    const short = await expectSuccess(server.client, "check_part_availability", { part_number: "BP-4480", quantity: 3 });
    expect(short).toMatchObject({ part_number: "BP-4480", requested: 3, available: 0, sufficient: false });
    expect(short.alternatives_in_stock).toEqual([{ part_number: "1234", name: "Brake Pad Set", available: 24, price: 89.99 }]);
  });

  it("tells whether a part fits a vehicle and which alternatives do", async () => {
    const fits = await expectSuccess(server.client, "check_vehicle_compatibility", { part_number: "1234", make: "Honda", model: "Accord", year: 2023 });
    expect(fits).toMatchObject({ compatible: true, fitment: { make: "Honda", model: "Accord", year_from: 2018, year_to: 2023 } });

    const noFit = await expectSuccess(server.client, "check_vehicle_compatibility", { part_number: "BP-4480", make: "Honda", model: "Accord", year: 2020 });
    expect(noFit).toMatchObject({ compatible: false, fitment: null, vehicle: { make: "Honda", model: "Accord", year: 2020 } });
    expect(noFit.known_fitments).toEqual([{ make: "Toyota", model: "Camry", year_from: 2018, year_to: 2024 }]);
    expect(noFit.compatible_alternatives.map((alternative: { part_number: string }) => alternative.part_number)).toEqual(["1234"]);
    expect(noFit.summary).toContain("not listed for a 2020 Honda Accord");

    const outOfRange = await expectSuccess(server.client, "check_vehicle_compatibility", { part_number: "1234", make: "Toyota", model: "Camry", year: 2017 });
    expect(outOfRange.compatible).toBe(false);
  });

  it("lists alternatives with their stock and a note", async () => {
    const result = await expectSuccess(server.client, "get_alternative_parts", { part_number: "1234" });
    expect(result.part_number).toBe("1234");
    expect(result.alternatives).toEqual([
      expect.objectContaining({ part_number: "BP-4471", available: 12, in_stock: true, price: 74.99, note: expect.stringContaining("Ceramic") }),
      expect.objectContaining({ part_number: "BP-4480", available: 0, in_stock: false, price: 129.99 }),
    ]);
    const none = await expectSuccess(server.client, "get_alternative_parts", { part_number: "OF-1010" });
    expect(none.alternatives).toEqual([]);
  });

  it("changes nothing when it only reads", async () => {
    const before = databaseSnapshot(server.database.sqlite);
    for (const testCase of toolCalls.slice(0, 5)) {
      await expectSuccess(server.client, testCase.tool, testCase.args as Record<string, unknown>);
    }
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });
});
