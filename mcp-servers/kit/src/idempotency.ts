import { createHash } from "node:crypto";
// Sorted keys: the same content in another key order hashes the same.
import stableStringify from "fast-json-stable-stringify";
import { eq } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { DomainError } from "./domain-error.js";

/** Every server's schema includes this table so that its migrations create it. */
export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  operation: text("operation").notNull(),
  requestHash: text("request_hash").notNull(),
  response: text("response").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** The optional `idempotency_key` argument of every tool with an effect; `runIdempotent` honours it. */
export const idempotencyKeyInput = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("Repeating a call with the same key returns the first result without a second effect");


export function hashRequest(operation: string, args: unknown): string {
  return createHash("sha256").update(operation).update("\0").update(stableStringify(args)).digest("hex");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = BetterSQLite3Database<any>;

/**
 * Runs `effect` at most once per idempotency key, inside one IMMEDIATE transaction.
 * A repeated key with the same arguments returns the first result; with other
 * arguments it is refused. Without a key the effect simply runs in a transaction.
 */
export function runIdempotent<TResult>(
  db: AnyDb,
  operation: string,
  key: string | undefined,
  args: Record<string, unknown>,
  effect: (tx: AnyDb) => TResult,
): TResult {
  return db.transaction(
    (tx) => {
      if (key === undefined) return effect(tx as AnyDb);
      const { idempotency_key: _omit, ...argsWithoutKey } = args;
      const requestHash = hashRequest(operation, argsWithoutKey);
      const previous = tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).get();
      if (previous) {
        if (previous.operation !== operation || previous.requestHash !== requestHash) {
          throw new DomainError(
            "IDEMPOTENCY_KEY_REUSED",
            `Idempotency key "${key}" was already used by ${previous.operation} with different arguments; use a new key for a new request.`,
          );
        }
        return JSON.parse(previous.response) as TResult;
      }
      const result = effect(tx as AnyDb);
      tx.insert(idempotencyKeys)
        .values({ key, operation, requestHash, response: JSON.stringify(result), createdAt: new Date() })
        .run();
      return result;
    },
    { behavior: "immediate" },
  );
}
