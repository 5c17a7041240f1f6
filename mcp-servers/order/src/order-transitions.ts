import type { OrderStatus } from "./schema.js";

/** The statuses an order may move to from each status; delivered and cancelled are final. */
export const allowedTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

/** Whether `from -> to` is a legal status change (staying put is handled by the caller as a no-op). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowedTransitions[from].includes(to);
}
