import { count } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema.js";

export const seedItems = [
  { sku: "laptop", name: "Laptop 14-inch", description: "14-inch business laptop, 16 GB RAM", priceCents: 129_900, available: 10 },
  { sku: "monitor", name: "27-inch Monitor", description: "27-inch 4K IPS monitor", priceCents: 34_900, available: 25 },
  { sku: "keyboard", name: "Mechanical Keyboard", description: "Tenkeyless mechanical keyboard", priceCents: 8_900, available: 50 },
  { sku: "mouse", name: "Wireless Mouse", description: "Ergonomic wireless mouse", priceCents: 3_900, available: 100 },
  { sku: "headset", name: "USB Headset", description: "Noise-cancelling USB headset", priceCents: 7_900, available: 30 },
] as const;

/** Fills an empty catalogue; a database that already has items is left alone. */
export function seedInventory(db: BetterSQLite3Database<typeof schema>): void {
  db.transaction(
    (tx) => {
      const existing = tx.select({ n: count() }).from(schema.items).get();
      if ((existing?.n ?? 0) > 0) return;
      const now = new Date();
      tx.insert(schema.items)
        .values(seedItems.map((item) => ({ ...item, updatedAt: now })))
        .run();
    },
    { behavior: "immediate" },
  );
}
