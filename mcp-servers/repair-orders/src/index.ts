export { createRepairOrdersServer, REPAIR_ORDERS_SERVER_VERSION } from "./server.js";
export { openRepairOrdersDatabase, type RepairOrdersDatabase, type RepairOrdersDb } from "./database.js";
export { repairOrdersServerDefinition } from "./definition.js";
export {
  repairOrderStatuses,
  repairOrderTransitions,
  openRepairOrderStatuses,
  canTransition,
  type RepairOrderStatus,
} from "./repair-order-status.js";
export { seedTechnicians } from "./seed.js";
export * as repairOrdersSchema from "./schema.js";
