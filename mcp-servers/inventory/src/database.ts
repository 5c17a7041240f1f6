import { fileURLToPath } from "node:url";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import * as schema from "./schema.js";
import { seedInventory } from "./seed.js";

export type InventoryDatabase = ServiceDatabase<typeof schema>;
export type InventoryDb = InventoryDatabase["db"];

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Opens `inventory.db` under `dataDir`, migrates it and seeds a fresh one. */
export function openInventoryDatabase(dataDir: string): InventoryDatabase {
  const database = openDatabase({ dataDir, fileName: "inventory.db", migrationsFolder, schema });
  seedInventory(database.db);
  return database;
}
