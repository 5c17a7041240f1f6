import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callTool, databaseSnapshot, expectFailure, expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { partsSchema, partsServerDefinition, type PartsDatabase } from "../src/index.js";

let server: InMemoryServer<PartsDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(partsServerDefinition);
});

afterEach(async () => {
  await server.close();
});

function stock(partNumber: string): { available: number; reserved: number } {
  const row = server.database.db
    .select({ available: partsSchema.parts.available, reserved: partsSchema.parts.reserved })
    .from(partsSchema.parts)
    .where(eq(partsSchema.parts.partNumber, partNumber))
    .get();
  if (!row) throw new Error(`no part ${partNumber}`);
  return row;
}

function setAvailable(partNumber: string, available: number): void {
  server.database.db.update(partsSchema.parts).set({ available }).where(eq(partsSchema.parts.partNumber, partNumber)).run();
}

function reservationRows() {
  return server.database.db.select().from(partsSchema.partReservations).all();
}

describe("reserve_parts", () => {
  it("moves each line from available to reserved and prices the reservation", async () => {
    const reservation = await expectSuccess(server.client, "reserve_parts", {
      part_numbers: ["1234", "BR-2210", "SP-0990"],
      repair_order_id: "1234",
      quantity_map: { "BR-2210": 2, "SP-0990": 4 },
    });
    expect(reservation.reservation_id).toMatch(/^PRS-[0-9a-f]{8}$/);
    expect(reservation).toMatchObject({ repair_order_id: "1234", status: "held" });
    expect(reservation.lines).toEqual([
      { part_number: "1234", name: "Brake Pad Set", quantity: 1, unit_price: 89.99, line_total: 89.99 },
      { part_number: "BR-2210", name: "Front Brake Rotor", quantity: 2, unit_price: 64.5, line_total: 129 },
      { part_number: "SP-0990", name: "Iridium Spark Plug", quantity: 4, unit_price: 10.99, line_total: 43.96 },
    ]);
    expect(reservation.total_price).toBe(262.95);
    expect(stock("1234")).toEqual({ available: 23, reserved: 1 });
    expect(stock("BR-2210")).toEqual({ available: 14, reserved: 2 });
    expect(stock("SP-0990")).toEqual({ available: 76, reserved: 4 });

    const [row] = reservationRows();
    expect(row).toMatchObject({ id: reservation.reservation_id, repairOrderId: "1234", status: "held" });
    const lines = server.database.db.select().from(partsSchema.partReservationLines).all();
    expect(lines.map((line) => [line.partNumber, line.quantity, line.unitPriceCents])).toEqual([
      ["1234", 1, 8999],
      ["BR-2210", 2, 6450],
      ["SP-0990", 4, 1099],
    ]);
  });

  it("reserves nothing when one line is short, and names every short line", async () => {
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "reserve_parts", {
      part_numbers: ["1234", "BP-4480", "BT-H6-760"],
      repair_order_id: "1234",
      quantity_map: { "1234": 2, "BT-H6-760": 9 },
    });
    expect(failure.code).toBe("INSUFFICIENT_STOCK");
    expect(failure.message).toContain("nothing was reserved");
    expect(failure.message).toContain("BP-4480 needs 1, 0 available");
    expect(failure.message).toContain("BT-H6-760 needs 9, 8 available");
    expect(failure.message).not.toContain("1234 needs");
    // The line for 1234 fitted, but it was rolled back with the others.
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
    expect(stock("1234")).toEqual({ available: 24, reserved: 0 });
  });

  it("reserves nothing when one part number is unknown", async () => {
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "reserve_parts", { part_numbers: ["1234", "ZZ-9999"], repair_order_id: "1234" });
    expect(failure.code).toBe("UNKNOWN_PART");
    expect(failure.message).toContain('"ZZ-9999"');
    expect(failure.message).toContain("search_parts");
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("lets exactly 5 of 30 concurrent single-unit reservations through when 5 are left", async () => {
    setAvailable("AF-3320", 5);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        callTool(server.client, "reserve_parts", { part_numbers: ["AF-3320"], repair_order_id: `RO-${index}` }),
      ),
    );
    const succeeded = results.filter((result) => !result.isError);
    const refused = results.filter((result) => result.isError);
    expect(succeeded).toHaveLength(5);
    expect(refused).toHaveLength(25);
    for (const result of refused) expect(result._meta?.error_code).toBe("INSUFFICIENT_STOCK");
    expect(stock("AF-3320")).toEqual({ available: 0, reserved: 5 });
    expect(reservationRows()).toHaveLength(5);
  });
});

describe("reserve_parts idempotency", () => {
  const request = { part_numbers: ["1234", "OF-1010"], repair_order_id: "1234", quantity_map: { "OF-1010": 2 }, idempotency_key: "wf-1:step-2" };

  it("answers a repeated key with the first result and reserves once", async () => {
    const first = await expectSuccess(server.client, "reserve_parts", request);
    const second = await expectSuccess(server.client, "reserve_parts", request);
    expect(second).toEqual(first);
    expect(reservationRows()).toHaveLength(1);
    expect(stock("1234")).toEqual({ available: 23, reserved: 1 });
    expect(stock("OF-1010")).toEqual({ available: 118, reserved: 2 });
  });

  it("treats the same lines in another order, or a spelled-out default quantity, as the same request", async () => {
    const first = await expectSuccess(server.client, "reserve_parts", request);
    const reordered = await expectSuccess(server.client, "reserve_parts", {
      ...request,
      part_numbers: ["OF-1010", "1234"],
      quantity_map: { "1234": 1, "OF-1010": 2 },
    });
    expect(reordered).toEqual(first);
    expect(reservationRows()).toHaveLength(1);
  });

  it("writes one reservation for parallel duplicates", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => expectSuccess(server.client, "reserve_parts", request)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(reservationRows()).toHaveLength(1);
    expect(server.database.db.select().from(partsSchema.idempotencyKeys).all()).toHaveLength(1);
    expect(stock("1234")).toEqual({ available: 23, reserved: 1 });
  });

  it("refuses the same key with other arguments and changes nothing", async () => {
    await expectSuccess(server.client, "reserve_parts", request);
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "reserve_parts", { ...request, quantity_map: { "OF-1010": 3 } });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(failure.message).toContain("wf-1:step-2");
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("does not remember a refused request, so the key works once stock is back", async () => {
    setAvailable("OF-1010", 1);
    await expectFailure(server.client, "reserve_parts", request);
    expect(server.database.db.select().from(partsSchema.idempotencyKeys).all()).toHaveLength(0);
    setAvailable("OF-1010", 10);
    const reservation = await expectSuccess(server.client, "reserve_parts", request);
    expect(reservation.status).toBe("held");
  });
});

describe("release_parts and consume_parts", () => {
  async function reserve(): Promise<string> {
    const reservation = await expectSuccess(server.client, "reserve_parts", {
      part_numbers: ["1234", "BR-2210"],
      repair_order_id: "1234",
      quantity_map: { "1234": 2, "BR-2210": 2 },
    });
    return reservation.reservation_id as string;
  }

  it("releases a held reservation back into stock, and a second release is harmless", async () => {
    const id = await reserve();
    const released = await expectSuccess(server.client, "release_parts", { reservation_id: id });
    expect(released).toMatchObject({ reservation_id: id, status: "released", already_released: false, total_price: 308.98 });
    expect(stock("1234")).toEqual({ available: 24, reserved: 0 });
    expect(stock("BR-2210")).toEqual({ available: 16, reserved: 0 });

    const before = databaseSnapshot(server.database.sqlite);
    const again = await expectSuccess(server.client, "release_parts", { reservation_id: id });
    expect(again).toMatchObject({ status: "released", already_released: true });
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("consumes a held reservation: reserved units leave stock, available stays as it was", async () => {
    const id = await reserve();
    const consumed = await expectSuccess(server.client, "consume_parts", { reservation_id: id });
    expect(consumed).toMatchObject({ reservation_id: id, status: "consumed", already_consumed: false });
    expect(stock("1234")).toEqual({ available: 22, reserved: 0 });
    expect(stock("BR-2210")).toEqual({ available: 14, reserved: 0 });

    const before = databaseSnapshot(server.database.sqlite);
    const again = await expectSuccess(server.client, "consume_parts", { reservation_id: id });
    expect(again).toMatchObject({ status: "consumed", already_consumed: true });
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("refuses to release consumed parts and to consume released ones, changing nothing", async () => {
    const consumedId = await reserve();
    await expectSuccess(server.client, "consume_parts", { reservation_id: consumedId });
    const releasedId = await reserve();
    await expectSuccess(server.client, "release_parts", { reservation_id: releasedId });
    const before = databaseSnapshot(server.database.sqlite);

    const releaseConsumed = await expectFailure(server.client, "release_parts", { reservation_id: consumedId });
    expect(releaseConsumed.code).toBe("RESERVATION_CONSUMED");
    expect(releaseConsumed.message).toContain("fitted");

    const consumeReleased = await expectFailure(server.client, "consume_parts", { reservation_id: releasedId });
    expect(consumeReleased.code).toBe("RESERVATION_RELEASED");
    expect(consumeReleased.message).toContain("reserve_parts");

    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("refuses an unknown reservation id", async () => {
    const before = databaseSnapshot(server.database.sqlite);
    for (const tool of ["release_parts", "consume_parts"]) {
      const failure = await expectFailure(server.client, tool, { reservation_id: "PRS-00000000" });
      expect(failure.code).toBe("UNKNOWN_RESERVATION");
      expect(failure.message).toContain('"PRS-00000000"');
    }
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });
});
