export { createOrderServer, ORDER_SERVER_VERSION } from "./server.js";
export { openOrderDatabase, type OrderDatabase, type OrderDb } from "./database.js";
export { orderServerDefinition } from "./definition.js";
export { allowedTransitions } from "./order-transitions.js";
export * as orderSchema from "./schema.js";
