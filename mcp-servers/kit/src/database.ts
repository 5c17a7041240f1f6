import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** Folder that holds the database file; created when missing. */
  dataDir: string;
  /** File name inside `dataDir`, e.g. `inventory.db`. */
  fileName: string;
  /** drizzle-kit migrations folder of the owning server. */
  migrationsFolder: string;
  schema: TSchema;
}

export interface ServiceDatabase<TSchema extends Record<string, unknown>> {
  db: BetterSQLite3Database<TSchema>;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

/**
 * Opens (or creates) a service's SQLite file, sets WAL and a busy timeout so that
 * several processes can share the file, and applies pending migrations.
 */
export function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): ServiceDatabase<TSchema> {
  mkdirSync(options.dataDir, { recursive: true });
  const path = join(options.dataDir, options.fileName);
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema: options.schema });
  migrate(db, { migrationsFolder: options.migrationsFolder });
  return {
    db,
    sqlite,
    path,
    close: () => sqlite.close(),
  };
}
