import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  additiveAnnotations,
  additiveIdempotentAnnotations,
  destructiveIdempotentAnnotations,
  idempotencyKeyInput,
  jsonResource,
  readOnlyAnnotations,
  runTool,
} from "@switchyard/mcp-kit";
import { z } from "zod";
import type { InventoryDatabase } from "./database.js";
import * as inventory from "./inventory.js";
import { reservationStatuses } from "./schema.js";

export const INVENTORY_SERVER_VERSION = "0.1.0";

const sku = z.string().trim().min(1).max(64).describe("Item SKU, e.g. laptop");
const quantity = z.number().int().positive().max(100_000).describe("Number of units, a positive integer");
const reservationId = z.string().min(1).max(100).describe("Reservation id returned by reserve_stock");

const itemShape = {
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  currency: z.literal("USD"),
  available: z.number().int(),
  reserved: z.number().int(),
  sold: z.number().int(),
};
const reservationShape = {
  reservation_id: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  status: z.enum(reservationStatuses),
  created_at: z.string(),
  updated_at: z.string(),
};

/** Builds the inventory MCP server over an open database; transports are attached by the caller. */
export function createInventoryServer({ db }: Pick<InventoryDatabase, "db">): McpServer {
  const server = new McpServer(
    { name: "switchyard-inventory", version: INVENTORY_SERVER_VERSION },
    { instructions: "Retail stock: check availability, reserve stock before creating an order, then commit or release the reservation." },
  );

  server.registerTool(
    "list_items",
    {
      title: "List items",
      description: "List every item in the catalogue with its price and available, reserved and sold stock.",
      inputSchema: {},
      outputSchema: { items: z.array(z.object(itemShape)) },
      annotations: readOnlyAnnotations,
    },
    () => runTool(() => ({ items: inventory.listItems(db) })),
  );

  server.registerTool(
    "check_inventory",
    {
      title: "Check inventory",
      description: "Check whether a quantity of an item is available. Returns available stock and whether it suffices.",
      inputSchema: { sku, quantity },
      outputSchema: {
        sku: z.string(),
        name: z.string(),
        requested: z.number().int(),
        available: z.number().int(),
        sufficient: z.boolean(),
        unit_price: z.number(),
      },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => inventory.checkInventory(db, args.sku, args.quantity)),
  );

  server.registerTool(
    "reserve_stock",
    {
      title: "Reserve stock",
      description:
        "Atomically reserve units of an item so no one else can sell them. Fails with OUT_OF_STOCK when not enough is available. Compensate with release_reservation; finish with commit_reservation.",
      inputSchema: { sku, quantity, idempotency_key: idempotencyKeyInput },
      outputSchema: { ...reservationShape, remaining_available: z.number().int() },
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => inventory.reserveStock(db, args)),
  );

  server.registerTool(
    "release_reservation",
    {
      title: "Release reservation",
      description:
        "Give a reservation's units back to available stock. A held reservation frees reserved units; a committed one returns sold units (for a cancelled order). Releasing twice is harmless.",
      inputSchema: { reservation_id: reservationId },
      outputSchema: { ...reservationShape, already_released: z.boolean() },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => inventory.releaseReservation(db, args.reservation_id)),
  );

  server.registerTool(
    "commit_reservation",
    {
      title: "Commit reservation",
      description: "Turn a held reservation into a sale once its order exists. Committing twice is harmless; a released reservation cannot be committed.",
      inputSchema: { reservation_id: reservationId },
      outputSchema: { ...reservationShape, already_committed: z.boolean() },
      annotations: additiveIdempotentAnnotations,
    },
    (args) => runTool(() => inventory.commitReservation(db, args.reservation_id)),
  );

  server.registerTool(
    "get_reservation",
    {
      title: "Get reservation",
      description: "Look up a reservation by id: its item, quantity and status (held, committed, released).",
      inputSchema: { reservation_id: reservationId },
      outputSchema: reservationShape,
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ ...inventory.getReservation(db, args.reservation_id) })),
  );

  server.registerTool(
    "list_reservations",
    {
      title: "List reservations",
      description: "List reservations, optionally only those with one status (held, committed, released).",
      inputSchema: { status: z.enum(reservationStatuses).optional() },
      outputSchema: { reservations: z.array(z.object(reservationShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ reservations: inventory.listReservations(db, args.status) })),
  );

  server.registerTool(
    "restock",
    {
      title: "Restock",
      description: "Add units of an existing item to available stock.",
      inputSchema: { sku, quantity, idempotency_key: idempotencyKeyInput },
      outputSchema: { ...itemShape, added: z.number().int() },
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => inventory.restock(db, args)),
  );

  server.registerResource(
    "items",
    "inventory://items",
    { title: "Catalogue", description: "Every item with its stock levels", mimeType: "application/json" },
    (uri) => jsonResource(uri, inventory.listItems(db)),
  );

  server.registerResource(
    "item",
    new ResourceTemplate("inventory://items/{sku}", {
      list: () => ({
        resources: inventory.listItems(db).map((item) => ({ uri: `inventory://items/${item.sku}`, name: item.name, mimeType: "application/json" })),
      }),
    }),
    { title: "Item", description: "One item with its stock levels", mimeType: "application/json" },
    (uri, variables) => {
      const item = inventory.getItem(db, String(variables.sku));
      return jsonResource(uri, item);
    },
  );

  server.registerPrompt(
    "reserve-for-order",
    {
      title: "Reserve stock for an order",
      description: "Walk through checking and reserving stock for an order of one item",
      argsSchema: { sku: z.string().describe("Item SKU"), quantity: z.string().describe("Number of units") },
    },
    ({ sku: itemSku, quantity: units }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `I want to order ${units} × ${itemSku}. Call check_inventory first; if the stock suffices, call reserve_stock with an idempotency_key and report the reservation_id. If it does not, tell me how many are available.`,
          },
        },
      ],
    }),
  );

  return server;
}
