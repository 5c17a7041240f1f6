import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { taskStatuses, type AgentServiceRequest, type AgentServiceResponse } from "./wire-format.js";

/** Asynchronous executions (`POST /execute-async`), kept across restarts. */
export const agentTasks = sqliteTable(
  "agent_tasks",
  {
    id: text("id").primaryKey(),
    status: text("status", { enum: taskStatuses }).notNull(),
    request: text("request", { mode: "json" }).$type<AgentServiceRequest>().notNull(),
    response: text("response", { mode: "json" }).$type<AgentServiceResponse>(),
    /** Whether running it again after a crash cannot duplicate an effect. */
    repeatable: integer("repeatable", { mode: "boolean" }).notNull(),
    callbackUrl: text("callback_url"),
    callbackAttempts: integer("callback_attempts").notNull().default(0),
    callbackDelivered: integer("callback_delivered", { mode: "boolean" }).notNull().default(false),
    callbackLastError: text("callback_last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("agent_tasks_status_known", sql`${table.status} IN ('queued', 'running', 'succeeded', 'failed')`),
    // A finished task always has its response; an unfinished one never does.
    check("agent_tasks_response_when_finished", sql`(${table.status} IN ('succeeded', 'failed')) = (${table.response} IS NOT NULL)`),
    check("agent_tasks_callback_attempts_non_negative", sql`${table.callbackAttempts} >= 0`),
    index("agent_tasks_status_idx").on(table.status),
  ],
);

export type AgentTaskRow = typeof agentTasks.$inferSelect;
