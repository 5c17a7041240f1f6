import { fileURLToPath } from "node:url";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import * as schema from "./schema.js";
import { seedRepairOrdersDatabase } from "./seed.js";

export type RepairOrdersDatabase = ServiceDatabase<typeof schema>;
export type RepairOrdersDb = RepairOrdersDatabase["db"];

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Opens `repair-orders.db` under `dataDir`, migrates it and seeds a fresh one. */
export function openRepairOrdersDatabase(dataDir: string): RepairOrdersDatabase {
  const database = openDatabase({ dataDir, fileName: "repair-orders.db", migrationsFolder, schema });
  seedRepairOrdersDatabase(database.db);
  return database;
}
