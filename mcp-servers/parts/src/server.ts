import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  additiveAnnotations,
  destructiveIdempotentAnnotations,
  idempotencyKeyInput,
  jsonResource,
  readOnlyAnnotations,
  runTool,
} from "@switchyard/mcp-kit";
import { z } from "zod";
import type { PartsDatabase } from "./database.js";
import * as catalogue from "./parts-catalogue.js";
import * as reservations from "./part-reservations.js";
import { partReservationStatuses } from "./schema.js";

export const PARTS_SERVER_VERSION = "0.1.0";

/** The part number format shared by every tool and the parts table's CHECK constraint. */
export const PART_NUMBER_PATTERN = /^[A-Z0-9-]{3,20}$/;

const partNumber = z
  .string()
  .regex(PART_NUMBER_PATTERN, "A part number is 3-20 characters of upper-case letters, digits and hyphens, e.g. 1234 or BP-4471")
  .describe("Part number, e.g. 1234 or BP-4471");
const quantity = z
  .number()
  .int("quantity must be a whole number")
  .min(1, "quantity must be at least 1")
  .max(10_000, "quantity must be at most 10000");
const repairOrderId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,32}$/, "repair_order_id is 1-32 characters of letters, digits and hyphens, e.g. 1234 or RO-000101")
  .describe("The repair order the parts are for, e.g. 1234");
const reservationId = z
  .string()
  .regex(/^PRS-[0-9a-f]{8}$/, "reservation_id looks like PRS-1a2b3c4d, as returned by reserve_parts")
  .describe("Part reservation id returned by reserve_parts");
const make = z.string().trim().min(1, "make must not be empty").max(50).describe("Vehicle make, e.g. Toyota");
const model = z.string().trim().min(1, "model must not be empty").max(50).describe("Vehicle model, e.g. Camry");
const year = z
  .number()
  .int("year must be a whole number")
  .min(1900, "year must be 1900 or later")
  .max(2100, "year must be 2100 or earlier")
  .describe("Model year, e.g. 2020");

const partShape = {
  part_number: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  brand: z.string(),
  price: z.number(),
  currency: z.literal("USD"),
  available: z.number().int(),
  reserved: z.number().int(),
  in_stock: z.boolean(),
};
const fitmentShape = { make: z.string(), model: z.string(), year_from: z.number().int(), year_to: z.number().int() };
const alternativeShape = { ...partShape, note: z.string() };
const alternativeSummaryShape = { part_number: z.string(), name: z.string(), available: z.number().int(), price: z.number() };
const reservationShape = {
  reservation_id: z.string(),
  repair_order_id: z.string(),
  status: z.enum(partReservationStatuses),
  lines: z.array(
    z.object({ part_number: z.string(), name: z.string(), quantity: z.number().int(), unit_price: z.number(), line_total: z.number() }),
  ),
  total_price: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
};

/** Builds the parts MCP server over an open database; transports are attached by the caller. */
export function createPartsServer({ db }: Pick<PartsDatabase, "db">): McpServer {
  const server = new McpServer(
    { name: "switchyard-parts", version: PARTS_SERVER_VERSION },
    {
      instructions:
        "Automotive parts catalogue and stock: search parts, check vehicle fitment and availability, reserve parts for a repair order, then consume them once fitted or release them.",
    },
  );

  server.registerTool(
    "search_parts",
    {
      title: "Search parts",
      description:
        "Search the parts catalogue by free text (part number, name, brand, description), category, and the vehicle a part must fit (make, model, year). Returns at most `limit` parts (default 20).",
      inputSchema: {
        query: z.string().max(100).optional().describe("Free text, e.g. brake pad"),
        category: z.string().trim().min(1).max(50).optional().describe("Category, e.g. brakes, filters, ignition, electrical, wipers"),
        make: make.optional(),
        model: model.optional(),
        year: year.optional(),
        in_stock_only: z.boolean().optional().describe("Only parts with available stock"),
        limit: z.number().int().min(1).max(100).optional().describe("Maximum number of parts returned (1-100, default 20)"),
      },
      outputSchema: { parts: z.array(z.object(partShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ parts: catalogue.searchParts(db, args) })),
  );

  server.registerTool(
    "check_part_availability",
    {
      title: "Check part availability",
      description:
        "Check whether a quantity of a part is available (default 1). Returns available and reserved stock, whether it suffices, and in-stock alternatives when it does not.",
      inputSchema: { part_number: partNumber, quantity: quantity.optional().describe("Units needed, default 1") },
      outputSchema: {
        part_number: z.string(),
        name: z.string(),
        requested: z.number().int(),
        available: z.number().int(),
        reserved: z.number().int(),
        sufficient: z.boolean(),
        unit_price: z.number(),
        alternatives_in_stock: z.array(z.object(alternativeSummaryShape)),
      },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => catalogue.checkPartAvailability(db, args.part_number, args.quantity ?? 1)),
  );

  server.registerTool(
    "get_part_details",
    {
      title: "Get part details",
      description: "Look up one part: price, stock, the vehicles it fits and its alternative parts.",
      inputSchema: { part_number: partNumber },
      outputSchema: {
        ...partShape,
        compatibility: z.array(z.object(fitmentShape)),
        alternatives: z.array(z.object(alternativeShape)),
      },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => catalogue.getPartDetails(db, args.part_number)),
  );

  server.registerTool(
    "reserve_parts",
    {
      title: "Reserve parts",
      description:
        "Reserve parts for a repair order, all or nothing: if any part lacks stock nothing is reserved and the error lists each short line. Each part gets 1 unit unless quantity_map says otherwise. Finish with consume_parts once fitted, or undo with release_parts.",
      inputSchema: {
        part_numbers: z.array(partNumber).min(1, "part_numbers must list at least one part").max(50, "part_numbers may list at most 50 parts"),
        repair_order_id: repairOrderId,
        quantity_map: z
          .record(partNumber, quantity, {
            // zod's own wording for a bad key ("Invalid key in record") does not say what a key must be.
            error: (issue) =>
              issue.code === "invalid_key"
                ? "quantity_map keys must be part numbers: 3-20 characters of upper-case letters, digits and hyphens, e.g. 1234 or BP-4471"
                : undefined,
          })
          .optional()
          .describe("Units per part number, e.g. {\"1234\": 2}; every key must be in part_numbers; parts not named get 1"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: reservationShape,
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => ({ ...reservations.reserveParts(db, args) })),
  );

  server.registerTool(
    "release_parts",
    {
      title: "Release parts",
      description:
        "Give a held reservation's parts back to available stock (the repair no longer needs them). Releasing twice is harmless; a consumed reservation cannot be released.",
      inputSchema: { reservation_id: reservationId },
      outputSchema: { ...reservationShape, already_released: z.boolean() },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...reservations.releaseParts(db, args.reservation_id) })),
  );

  server.registerTool(
    "consume_parts",
    {
      title: "Consume parts",
      description:
        "Record that a held reservation's parts were fitted: the reserved units leave stock for good. Consuming twice is harmless; a released reservation cannot be consumed.",
      inputSchema: { reservation_id: reservationId },
      outputSchema: { ...reservationShape, already_consumed: z.boolean() },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...reservations.consumeParts(db, args.reservation_id) })),
  );

  server.registerTool(
    "check_vehicle_compatibility",
    {
      title: "Check vehicle compatibility",
      description:
        "Check whether a part fits a vehicle (make, model, model year). Returns the matching fitment, every listed fitment and the alternatives that do fit.",
      inputSchema: { part_number: partNumber, make, model, year },
      outputSchema: {
        part_number: z.string(),
        name: z.string(),
        vehicle: z.object({ make: z.string(), model: z.string(), year: z.number().int() }),
        compatible: z.boolean(),
        fitment: z.object(fitmentShape).nullable(),
        known_fitments: z.array(z.object(fitmentShape)),
        compatible_alternatives: z.array(z.object(alternativeSummaryShape)),
        summary: z.string(),
      },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => catalogue.checkVehicleCompatibility(db, args.part_number, args)),
  );

  server.registerTool(
    "get_alternative_parts",
    {
      title: "Get alternative parts",
      description: "List the parts that can replace a part, with price, stock and a note on how they differ.",
      inputSchema: { part_number: partNumber },
      outputSchema: { part_number: z.string(), alternatives: z.array(z.object(alternativeShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ part_number: args.part_number, alternatives: catalogue.getAlternativeParts(db, args.part_number) })),
  );

  server.registerResource(
    "parts",
    "parts://parts",
    { title: "Parts catalogue", description: "Every part with its price and stock", mimeType: "application/json" },
    (uri) => jsonResource(uri, catalogue.listParts(db)),
  );

  server.registerResource(
    "part",
    new ResourceTemplate("parts://parts/{part_number}", {
      list: () => ({
        resources: catalogue
          .listParts(db)
          .map((part) => ({ uri: `parts://parts/${part.part_number}`, name: `${part.part_number} ${part.name}`, mimeType: "application/json" })),
      }),
    }),
    { title: "Part", description: "One part with its stock, vehicle fitments and alternatives", mimeType: "application/json" },
    (uri, variables) => {
      const details = catalogue.getPartDetails(db, String(variables.part_number));
      return jsonResource(uri, details);
    },
  );

  server.registerPrompt(
    "find-part-for-vehicle",
    {
      title: "Find a part for a vehicle",
      description: "Walk through finding an in-stock part that fits a vehicle and reserving it for a repair order",
      argsSchema: {
        part: z.string().describe("What is needed, e.g. front brake pads"),
        make: z.string().describe("Vehicle make"),
        model: z.string().describe("Vehicle model"),
        year: z.string().describe("Model year"),
        repair_order_id: z.string().optional().describe("Repair order to reserve the part for"),
      },
    },
    ({ part, make: vehicleMake, model: vehicleModel, year: modelYear, repair_order_id }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: [
              `I need ${part} for a ${modelYear} ${vehicleMake} ${vehicleModel}.`,
              `Call search_parts with the query, make, model and year to find candidates, then check_vehicle_compatibility and check_part_availability for the best one.`,
              `If it is out of stock, use get_alternative_parts and pick an alternative that fits and is in stock.`,
              repair_order_id
                ? `Then reserve it with reserve_parts for repair order ${repair_order_id} (with an idempotency_key) and report the reservation_id and total price.`
                : `Report the part number, price and stock; do not reserve anything.`,
            ].join(" "),
          },
        },
      ],
    }),
  );

  return server;
}
