import { fileURLToPath } from "node:url";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import * as schema from "./schema.js";
import { seedPartsCatalogue } from "./seed.js";

export type PartsDatabase = ServiceDatabase<typeof schema>;
export type PartsDb = PartsDatabase["db"];

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Opens `parts.db` under `dataDir`, migrates it and seeds a fresh one. */
export function openPartsDatabase(dataDir: string): PartsDatabase {
  const database = openDatabase({ dataDir, fileName: "parts.db", migrationsFolder, schema });
  seedPartsCatalogue(database.db);
  return database;
}
