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
import type { OrderDatabase } from "./database.js";
import * as orders from "./orders.js";
import { orderStatuses } from "./schema.js";

export const ORDER_SERVER_VERSION = "0.1.0";

/** How many orders the list resources show; list_orders pages with its own limit. */
const RESOURCE_LIST_LIMIT = 100;

const orderId = z.string().trim().min(1).max(64).describe("Order id returned by create_order, e.g. ORD-1A2B3C4D");
const reason = z.string().trim().min(1).max(500).optional().describe("Why the status changes; kept in the order's history");

const orderShape = {
  order_id: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  reservation_id: z.string(),
  customer: z.string().nullable(),
  status: z.enum(orderStatuses),
  created_at: z.string(),
  updated_at: z.string(),
};
const historyShape = {
  history: z.array(
    z.object({
      from: z.enum(orderStatuses).nullable(),
      to: z.enum(orderStatuses),
      reason: z.string().nullable(),
      at: z.string(),
    }),
  ),
};
const statusChangeShape = {
  ...orderShape,
  ...historyShape,
  previous_status: z.enum(orderStatuses),
  changed: z.boolean(),
};

/** Builds the order MCP server over an open database; transports are attached by the caller. */
export function createOrderServer({ db }: Pick<OrderDatabase, "db">): McpServer {
  const server = new McpServer(
    { name: "switchyard-order", version: ORDER_SERVER_VERSION },
    {
      instructions:
        "Customer orders. Create an order only against a stock reservation (reserve_stock on the inventory server), then move it through pending -> confirmed -> shipped -> delivered, or cancel it before it ships and release its reservation.",
    },
  );

  server.registerTool(
    "create_order",
    {
      title: "Create order",
      description:
        "Create an order in status pending for a quantity of one item, backed by a stock reservation. A reservation can back only one live (not cancelled) order: a second order for it fails with RESERVATION_ALREADY_USED. Pass an idempotency_key so that a retry returns the same order.",
      inputSchema: {
        sku: z.string().trim().min(1).max(64).describe("Item SKU, e.g. laptop"),
        quantity: z.number().int().positive().max(100_000).describe("Number of units, a positive integer"),
        reservation_id: z.string().trim().min(1).max(100).describe("Reservation id returned by reserve_stock for this sku and quantity"),
        customer: z.string().trim().min(1).max(200).optional().describe("Customer name or email"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: orderShape,
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => ({ ...orders.createOrder(db, args) })),
  );

  server.registerTool(
    "get_order",
    {
      title: "Get order",
      description: "Look up an order by id: item, quantity, reservation, customer, status and the history of every status change.",
      inputSchema: { order_id: orderId },
      outputSchema: { ...orderShape, ...historyShape },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ ...orders.getOrder(db, args.order_id) })),
  );

  server.registerTool(
    "list_orders",
    {
      title: "List orders",
      description: "List orders, newest first, optionally only those with one status.",
      inputSchema: {
        status: z.enum(orderStatuses).optional().describe("Only orders with this status"),
        limit: z.number().int().min(1).max(500).optional().describe("At most this many orders (default 50)"),
      },
      outputSchema: { orders: z.array(z.object(orderShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ orders: orders.listOrders(db, args) })),
  );

  server.registerTool(
    "update_order_status",
    {
      title: "Update order status",
      description:
        "Move an order to a new status. Allowed: pending -> confirmed or cancelled; confirmed -> shipped or cancelled; shipped -> delivered. Delivered and cancelled are final. Asking for the current status again succeeds with changed=false. Every change is recorded in the order's history.",
      inputSchema: {
        order_id: orderId,
        status: z.enum(orderStatuses).describe("The new status"),
        reason,
      },
      outputSchema: statusChangeShape,
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...orders.updateOrderStatus(db, args.order_id, args.status, args.reason) })),
  );

  server.registerTool(
    "cancel_order",
    {
      title: "Cancel order",
      description:
        "Cancel a pending or confirmed order (shipped and delivered orders cannot be cancelled). Returns the order with its reservation_id: call release_reservation on the inventory server to give the stock back. Cancelling twice is harmless.",
      inputSchema: { order_id: orderId, reason },
      outputSchema: statusChangeShape,
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...orders.cancelOrder(db, args.order_id, args.reason) })),
  );

  server.registerResource(
    "orders",
    "orders://orders",
    { title: "Orders", description: `The ${RESOURCE_LIST_LIMIT} newest orders`, mimeType: "application/json" },
    (uri) => jsonResource(uri, orders.listOrders(db, { limit: RESOURCE_LIST_LIMIT })),
  );

  server.registerResource(
    "order",
    new ResourceTemplate("orders://orders/{order_id}", {
      list: () => ({
        resources: orders.listOrders(db, { limit: RESOURCE_LIST_LIMIT }).map((order) => ({
          uri: `orders://orders/${order.order_id}`,
          name: `${order.order_id}: ${order.quantity} × ${order.sku} (${order.status})`,
          mimeType: "application/json",
        })),
      }),
    }),
    { title: "Order", description: "One order with its status history", mimeType: "application/json" },
    (uri, variables) => jsonResource(uri, orders.getOrder(db, String(variables.order_id))),
  );

  server.registerPrompt(
    "order-status-report",
    {
      title: "Order status report",
      description: "Report where one order stands, or summarise recent orders by status",
      argsSchema: { order_id: z.string().optional().describe("Order id; leave empty for a summary of recent orders") },
    },
    ({ order_id: requested }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: requested
              ? `Report on order ${requested}. Call get_order with order_id "${requested}" and tell me its item, quantity, customer and current status, then walk through its history (each status change with its time and reason). Finish with the statuses it can move to next: pending -> confirmed or cancelled, confirmed -> shipped or cancelled, shipped -> delivered; delivered and cancelled are final.`
              : "Summarise recent orders. Call list_orders and give me the number of orders in each status (pending, confirmed, shipped, delivered, cancelled), then list the pending and confirmed ones, oldest first, since they still need action.",
          },
        },
      ],
    }),
  );

  return server;
}
