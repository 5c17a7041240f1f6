import { fileURLToPath } from "node:url";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import * as schema from "./schema.js";
import { seedPayments } from "./seed.js";

export type PaymentDatabase = ServiceDatabase<typeof schema>;
export type PaymentDb = PaymentDatabase["db"];

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Opens `payment.db` under `dataDir`, migrates it and seeds a fresh one. */
export function openPaymentDatabase(dataDir: string): PaymentDatabase {
  const database = openDatabase({ dataDir, fileName: "payment.db", migrationsFolder, schema });
  seedPayments(database.db);
  return database;
}
