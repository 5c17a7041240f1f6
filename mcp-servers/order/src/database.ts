import { fileURLToPath } from "node:url";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import * as schema from "./schema.js";

export type OrderDatabase = ServiceDatabase<typeof schema>;
export type OrderDb = OrderDatabase["db"];

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Opens `order.db` under `dataDir` and migrates it. A fresh database holds no orders:
 * every order must be backed by a reservation that inventory really made.
 */
export function openOrderDatabase(dataDir: string): OrderDatabase {
  return openDatabase({ dataDir, fileName: "order.db", migrationsFolder, schema });
}
