export { createInventoryServer, INVENTORY_SERVER_VERSION } from "./server.js";
export { openInventoryDatabase, type InventoryDatabase, type InventoryDb } from "./database.js";
export { inventoryServerDefinition } from "./definition.js";
export { seedItems } from "./seed.js";
export * as inventorySchema from "./schema.js";
export * as inventoryOperations from "./inventory.js";
