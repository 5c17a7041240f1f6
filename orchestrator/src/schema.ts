import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const workflowStatuses = ["planning", "running", "succeeded", "failed", "rejected"] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];

export const stepStatuses = ["pending", "running", "succeeded", "failed", "skipped"] as const;
export type StepStatus = (typeof stepStatuses)[number];

export const workflows = sqliteTable(
  "workflows",
  {
    id: text("id").primaryKey(),
    userRequest: text("user_request").notNull(),
    mode: text("mode", { enum: ["plan", "react"] }).notNull(),
    planner: text("planner", { enum: ["rules", "llm"] }).notNull(),
    priority: text("priority", { enum: ["low", "normal", "high"] }).notNull().default("normal"),
    context: text("context", { mode: "json" }),
    status: text("status", { enum: workflowStatuses }).notNull(),
    plan: text("plan", { mode: "json" }),
    problems: text("problems", { mode: "json" }),
    finalResult: text("final_result"),
    error: text("error"),
    compensations: text("compensations", { mode: "json" }),
    llmCalls: integer("llm_calls").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    callbackUrl: text("callback_url"),
    callbackStatus: text("callback_status"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("workflows_status_created_idx").on(table.status, table.createdAt)],
);

export const workflowSteps = sqliteTable(
  "workflow_steps",
  {
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id),
    stepId: text("step_id").notNull(),
    stepOrder: integer("step_order").notNull(),
    serviceName: text("service_name").notNull(),
    operation: text("operation").notNull(),
    status: text("status", { enum: stepStatuses }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    parameters: text("parameters", { mode: "json" }),
    result: text("result", { mode: "json" }),
    error: text("error", { mode: "json" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (table) => [primaryKey({ columns: [table.workflowId, table.stepId] })],
);

export const workflowEvents = sqliteTable(
  "workflow_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id),
    type: text("type").notNull(),
    stepId: text("step_id"),
    data: text("data", { mode: "json" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (table) => [index("workflow_events_workflow_idx").on(table.workflowId, table.id)],
);

/** ReAct mode: one row per model turn, written before the next turn starts. */
export const reactTurns = sqliteTable(
  "react_turns",
  {
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id),
    turn: integer("turn").notNull(),
    action: text("action").notNull(),
    args: text("args", { mode: "json" }),
    observation: text("observation", { mode: "json" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.workflowId, table.turn] })],
);
