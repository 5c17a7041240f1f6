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
import type { RepairOrdersDatabase } from "./database.js";
import { repairOrderStatuses } from "./repair-order-status.js";
import * as repairOrders from "./repair-orders.js";
import { listTechnicians } from "./technicians.js";

export const REPAIR_ORDERS_SERVER_VERSION = "0.1.0";

const repairOrderId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,32}$/, "repair_order_id is 1-32 characters of letters, digits and hyphens, e.g. 1234 or RO-000101")
  .describe("Repair order id, e.g. 1234 or RO-000101");
const status = z.enum(repairOrderStatuses).describe(`Repair order status: ${repairOrderStatuses.join(", ")}`);
const partNumber = z
  .string()
  .regex(/^[A-Z0-9-]{3,20}$/, "part_number is 3-20 characters of upper-case letters, digits and hyphens, e.g. 1234 or BP-4471")
  .describe("Part number from the parts catalogue, e.g. 1234");
const technicianId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,32}$/, "technician_id is 1-32 characters of letters, digits and hyphens, e.g. TECH-01")
  .describe("Technician id, e.g. TECH-01 (see list_technicians)");

const vehicleShape = { make: z.string(), model: z.string(), year: z.number().int(), vin: z.string().nullable() };
const summaryShape = {
  repair_order_id: z.string(),
  customer_name: z.string(),
  vehicle: z.object(vehicleShape),
  description: z.string(),
  status,
  technician_id: z.string().nullable(),
  estimated_total: z.number(),
  currency: z.literal("USD"),
  created_at: z.string(),
  updated_at: z.string(),
};
const technicianShape = { technician_id: z.string(), name: z.string(), specialty: z.string() };
const partLineShape = {
  line_id: z.number().int(),
  part_number: z.string(),
  quantity: z.number().int(),
  unit_price: z.number().nullable(),
  line_total: z.number().nullable(),
  reservation_id: z.string().nullable(),
  added_at: z.string(),
};
const noteShape = { author: z.string(), text: z.string(), created_at: z.string() };
const detailsShape = {
  ...summaryShape,
  customer_email: z.string(),
  customer_phone: z.string().nullable(),
  allowed_next_statuses: z.array(status),
  technician: z.object(technicianShape).nullable(),
  parts: z.array(z.object(partLineShape)),
  notes: z.array(z.object(noteShape)),
  status_history: z.array(
    z.object({ from_status: status.nullable(), to_status: status, reason: z.string().nullable(), changed_at: z.string() }),
  ),
};
const historyEntry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status_change"), at: z.string(), from_status: status.nullable(), to_status: status, reason: z.string().nullable() }),
  z.object({ type: z.literal("note"), at: z.string(), author: z.string(), text: z.string() }),
]);

/** Builds the repair-orders MCP server over an open database; transports are attached by the caller. */
export function createRepairOrdersServer({ db }: Pick<RepairOrdersDatabase, "db">): McpServer {
  const server = new McpServer(
    { name: "switchyard-repair-orders", version: REPAIR_ORDERS_SERVER_VERSION },
    {
      instructions:
        "Workshop repair orders: create them, move them through their statuses (pending, scheduled, in_progress, parts_ordered, quality_check, customer_approval, ready_for_pickup, completed, invoiced, closed; or cancelled), assign technicians, record notes and the parts they use. Stock lives in the parts server: reserve parts there, then record them here with add_part_to_repair_order.",
    },
  );

  server.registerTool(
    "create_repair_order",
    {
      title: "Create repair order",
      description: "Open a new repair order (status pending) for a customer's vehicle. Returns the new repair order with its id (RO-nnnnnn).",
      inputSchema: {
        customer_name: z.string().trim().min(1, "customer_name must not be empty").max(100).describe("Customer's full name"),
        customer_email: z
          .email("customer_email must be a valid email address, e.g. jordan.lee@example.com")
          .max(254)
          .describe("Customer's email address"),
        customer_phone: z
          .string()
          .regex(/^\+?[0-9 ().-]{7,20}$/, "customer_phone must be 7-20 digits, spaces, dots, dashes or parentheses, optionally starting with +")
          .optional()
          .describe("Customer's phone number, e.g. +1 555 0100"),
        vehicle: z
          .object({
            make: z.string().trim().min(1, "vehicle.make must not be empty").max(50).describe("e.g. Toyota"),
            model: z.string().trim().min(1, "vehicle.model must not be empty").max(50).describe("e.g. Camry"),
            year: z.number().int("vehicle.year must be a whole number").min(1900, "vehicle.year must be 1900 or later").max(2100, "vehicle.year must be 2100 or earlier").describe("Model year, e.g. 2020"),
            vin: z
              .string()
              .regex(/^[A-HJ-NPR-Z0-9]{17}$/, "vehicle.vin must be 17 characters of digits and capital letters other than I, O and Q")
              .optional()
              .describe("Vehicle identification number (17 characters)"),
          })
          .describe("The vehicle being repaired"),
        description: z.string().trim().min(1, "description must not be empty").max(2000).describe("What the customer reports or wants done"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: detailsShape,
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => ({ ...repairOrders.createRepairOrder(db, args) })),
  );

  server.registerTool(
    "update_repair_order_status",
    {
      title: "Update repair order status",
      description:
        "Move a repair order to its next status. Only allowed transitions succeed: pending -> scheduled|cancelled, scheduled -> in_progress|cancelled, in_progress -> parts_ordered|quality_check|cancelled, parts_ordered -> in_progress|cancelled, quality_check -> customer_approval|in_progress, customer_approval -> ready_for_pickup|in_progress, ready_for_pickup -> completed|in_progress, completed -> invoiced, invoiced -> closed; cancelled and closed are final. Asking for the current status again changes nothing.",
      inputSchema: {
        repair_order_id: repairOrderId,
        status,
        reason: z.string().trim().min(1).max(500).optional().describe("Why the status changes; kept in the history"),
      },
      outputSchema: {
        repair_order_id: z.string(),
        previous_status: status,
        status,
        changed: z.boolean(),
        allowed_next_statuses: z.array(status),
        updated_at: z.string(),
      },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => repairOrders.updateRepairOrderStatus(db, args)),
  );

  server.registerTool(
    "get_repair_order_details",
    {
      title: "Get repair order details",
      description: "Look up a repair order: customer, vehicle, status and allowed next statuses, technician, parts, estimate, notes and status history.",
      inputSchema: { repair_order_id: repairOrderId },
      outputSchema: detailsShape,
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ ...repairOrders.getRepairOrderDetails(db, args.repair_order_id) })),
  );

  server.registerTool(
    "assign_technician",
    {
      title: "Assign technician",
      description: "Assign a technician to an open repair order (replacing any previous one). Unknown technicians are refused with the list of known ones.",
      inputSchema: { repair_order_id: repairOrderId, technician_id: technicianId },
      outputSchema: {
        repair_order_id: z.string(),
        technician: z.object(technicianShape),
        previous_technician_id: z.string().nullable(),
        changed: z.boolean(),
      },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => repairOrders.assignTechnician(db, args)),
  );

  server.registerTool(
    "add_repair_notes",
    {
      title: "Add repair notes",
      description: "Add a note (findings, customer contact, work done) to a repair order's history.",
      inputSchema: {
        repair_order_id: repairOrderId,
        note: z.string().trim().min(1, "note must not be empty").max(4000),
        author: z.string().trim().min(1).max(100).optional().describe(`Who wrote the note (default "${repairOrders.DEFAULT_NOTE_AUTHOR}")`),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: { repair_order_id: z.string(), note: z.object(noteShape) },
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => repairOrders.addRepairNote(db, args)),
  );

  server.registerTool(
    "get_repair_history",
    {
      title: "Get repair history",
      description: "A repair order's status changes and notes, merged in time order.",
      inputSchema: { repair_order_id: repairOrderId },
      outputSchema: { repair_order_id: z.string(), status, history: z.array(historyEntry) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => repairOrders.getRepairHistory(db, args.repair_order_id)),
  );

  server.registerTool(
    "add_part_to_repair_order",
    {
      title: "Add part to repair order",
      description:
        "Record that a repair order uses a part (the parts server owns the stock: reserve it there first and pass its reservation_id). With unit_price the line counts towards the estimate. Only while the repair order is not completed, invoiced, closed or cancelled.",
      inputSchema: {
        repair_order_id: repairOrderId,
        part_number: partNumber,
        quantity: z.number().int("quantity must be a whole number").min(1, "quantity must be at least 1").max(10_000, "quantity must be at most 10000"),
        unit_price: z.number().min(0, "unit_price must not be negative").max(1_000_000).optional().describe("Price per unit in USD, at most two decimals"),
        reservation_id: z
          .string()
          .regex(/^PRS-[0-9a-f]{8}$/, "reservation_id looks like PRS-1a2b3c4d, as returned by the parts server's reserve_parts")
          .optional()
          .describe("The parts server's reservation holding the stock"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: {
        repair_order_id: z.string(),
        status,
        line: z.object(partLineShape),
        parts: z.array(z.object(partLineShape)),
        estimated_total: z.number(),
        currency: z.literal("USD"),
      },
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => repairOrders.addPartToRepairOrder(db, args)),
  );

  server.registerTool(
    "list_repair_orders",
    {
      title: "List repair orders",
      description: "List repair orders, oldest first, optionally only those with one status.",
      inputSchema: { status: status.optional() },
      outputSchema: { repair_orders: z.array(z.object(summaryShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ repair_orders: repairOrders.listRepairOrders(db, args.status) })),
  );

  server.registerTool(
    "list_technicians",
    {
      title: "List technicians",
      description: "List the workshop's technicians with their specialty and how many open repair orders each has.",
      inputSchema: {},
      outputSchema: { technicians: z.array(z.object({ ...technicianShape, open_repair_orders: z.number().int() })) },
      annotations: readOnlyAnnotations,
    },
    () => runTool(() => ({ technicians: listTechnicians(db) })),
  );

  server.registerResource(
    "repair-orders",
    "repair-orders://repair-orders",
    { title: "Repair orders", description: "Every repair order with its status and estimate", mimeType: "application/json" },
    (uri) => jsonResource(uri, repairOrders.listRepairOrders(db)),
  );

  server.registerResource(
    "repair-order",
    new ResourceTemplate("repair-orders://repair-orders/{repair_order_id}", {
      list: () => ({
        resources: repairOrders.listRepairOrders(db).map((order) => ({
          uri: `repair-orders://repair-orders/${order.repair_order_id}`,
          name: `${order.repair_order_id} ${order.customer_name} (${order.status})`,
          mimeType: "application/json",
        })),
      }),
    }),
    { title: "Repair order", description: "One repair order with its parts, notes and status history", mimeType: "application/json" },
    (uri, variables) => {
      const details = repairOrders.getRepairOrderDetails(db, String(variables.repair_order_id));
      return jsonResource(uri, details);
    },
  );

  server.registerPrompt(
    "repair-order-summary",
    {
      title: "Summarise a repair order",
      description: "Summarise a repair order for the customer: status, work found, parts and estimate, next step",
      argsSchema: { repair_order_id: z.string().describe("Repair order id, e.g. 1234") },
    },
    ({ repair_order_id }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Summarise repair order ${repair_order_id} for the customer. Call get_repair_order_details (and get_repair_history for the timeline), then explain in plain words: the vehicle and the reported problem, the current status and what happens next, what the technician found, the parts used with the estimated total, and anything the customer must approve.`,
          },
        },
      ],
    }),
  );

  return server;
}
