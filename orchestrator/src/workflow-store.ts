import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { openDatabase, type ServiceDatabase } from "@switchyard/mcp-kit";
import type { WorkflowPlan } from "./plan-schema.js";
import type { LlmUsage } from "./planner/planner.js";
import * as schema from "./schema.js";
import { reactTurns, workflowEvents, workflows, workflowSteps, type StepStatus, type WorkflowStatus } from "./schema.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

export interface StepView {
  step_id: string;
  step_order: number;
  service_name: string;
  operation: string;
  status: StepStatus;
  attempts: number;
  parameters: unknown;
  result: unknown;
  error: unknown;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface WorkflowView {
  request_id: string;
  user_request: string;
  mode: "plan" | "react";
  planner: "rules" | "llm";
  priority: "low" | "normal" | "high";
  context: Record<string, unknown> | null;
  status: WorkflowStatus;
  workflow_plan: WorkflowPlan | null;
  problems: unknown;
  steps: StepView[];
  react_turns?: Array<{ turn: number; action: string; args: unknown; observation: unknown; at: string }>;
  final_result: string | null;
  error: string | null;
  compensations: unknown;
  llm_usage: LlmUsage;
  callback: { url: string; status: string | null } | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface WorkflowEvent {
  id: number;
  workflow_id: string;
  type: string;
  step_id: string | null;
  data: unknown;
  at: string;
}

type StepPatch = Partial<{
  status: StepStatus;
  attempts: number;
  parameters: unknown;
  result: unknown;
  error: unknown;
  startedAt: Date;
  finishedAt: Date;
}>;

/**
 * Durable record of every workflow, step, event and ReAct turn. Writes are synchronous
 * (better-sqlite3), so a step's state is on disk before the executor moves on.
 */
export class WorkflowStore {
  private readonly events = new EventEmitter();
  readonly database: ServiceDatabase<typeof schema>;

  constructor(dataDir: string) {
    this.database = openDatabase({ dataDir, fileName: "orchestrator.db", migrationsFolder, schema });
    // One listener per open SSE stream; many clients may watch at once.
    this.events.setMaxListeners(0);
  }

  private get db() {
    return this.database.db;
  }

  close(): void {
    this.database.close();
  }

  /** Inserts the workflow unless the id exists; `created` tells which happened. */
  create(input: {
    id: string;
    userRequest: string;
    mode: "plan" | "react";
    planner: "rules" | "llm";
    priority?: "low" | "normal" | "high" | undefined;
    context?: Record<string, unknown> | undefined;
    callbackUrl?: string | undefined;
  }): { created: boolean } {
    const now = new Date();
    const inserted = this.db
      .insert(workflows)
      .values({
        id: input.id,
        userRequest: input.userRequest,
        mode: input.mode,
        planner: input.planner,
        priority: input.priority ?? "normal",
        context: input.context ?? null,
        status: "planning",
        callbackUrl: input.callbackUrl ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .run();
    if (inserted.changes > 0) this.appendEvent(input.id, "workflow_created", null, { user_request: input.userRequest, mode: input.mode });
    return { created: inserted.changes > 0 };
  }

  setPlan(id: string, plan: WorkflowPlan, usage: LlmUsage): void {
    this.db.transaction((tx) => {
      tx.update(workflows)
        .set({ plan, status: "running", llmCalls: usage.calls, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, updatedAt: new Date() })
        .where(eq(workflows.id, id))
        .run();
      for (const step of plan.execution_steps) {
        tx.insert(workflowSteps)
          .values({ workflowId: id, stepId: step.step_id, stepOrder: step.step_order, serviceName: step.service_name, operation: step.operation, status: "pending", parameters: step.parameters })
          .run();
      }
    });
    this.appendEvent(id, "plan_ready", null, { plan_id: plan.plan_id, steps: plan.execution_steps.length });
  }

  setUsage(id: string, usage: LlmUsage): void {
    this.db
      .update(workflows)
      .set({ llmCalls: usage.calls, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, updatedAt: new Date() })
      .where(eq(workflows.id, id))
      .run();
  }

  setStatus(id: string, status: WorkflowStatus): void {
    this.db.update(workflows).set({ status, updatedAt: new Date() }).where(eq(workflows.id, id)).run();
  }

  reject(id: string, message: string, problems: unknown, usage: LlmUsage): void {
    const now = new Date();
    this.db
      .update(workflows)
      .set({ status: "rejected", error: message, problems, llmCalls: usage.calls, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, updatedAt: now, finishedAt: now })
      .where(eq(workflows.id, id))
      .run();
    this.appendEvent(id, "workflow_rejected", null, { message, problems });
  }

  finish(id: string, outcome: { status: "succeeded" | "failed"; finalResult: string; error?: string | undefined; compensations?: unknown }): void {
    const now = new Date();
    this.db
      .update(workflows)
      .set({ status: outcome.status, finalResult: outcome.finalResult, error: outcome.error ?? null, compensations: outcome.compensations ?? null, updatedAt: now, finishedAt: now })
      .where(eq(workflows.id, id))
      .run();
    this.appendEvent(id, "workflow_finished", null, { status: outcome.status, error: outcome.error ?? null });
  }

  updateStep(id: string, stepId: string, patch: StepPatch, event?: string): void {
    this.db.update(workflowSteps).set(patch).where(and(eq(workflowSteps.workflowId, id), eq(workflowSteps.stepId, stepId))).run();
    if (event) this.appendEvent(id, event, stepId, { status: patch.status, attempts: patch.attempts, error: patch.error });
  }

  /** ReAct mode records steps as it goes; each action is one step row. */
  addStep(id: string, step: { stepId: string; stepOrder: number; serviceName: string; operation: string; parameters: unknown }): void {
    this.db
      .insert(workflowSteps)
      .values({ workflowId: id, stepId: step.stepId, stepOrder: step.stepOrder, serviceName: step.serviceName, operation: step.operation, status: "pending", parameters: step.parameters })
      .onConflictDoNothing()
      .run();
  }

  recordTurn(id: string, turn: { turn: number; action: string; args: unknown; observation: unknown }): void {
    this.db.insert(reactTurns).values({ workflowId: id, ...turn, at: new Date() }).onConflictDoNothing().run();
    this.appendEvent(id, "react_turn", null, { turn: turn.turn, action: turn.action });
  }

  setCallbackStatus(id: string, status: string): void {
    this.db.update(workflows).set({ callbackStatus: status, updatedAt: new Date() }).where(eq(workflows.id, id)).run();
  }

  appendEvent(id: string, type: string, stepId: string | null, data: unknown): WorkflowEvent {
    const row = this.db.insert(workflowEvents).values({ workflowId: id, type, stepId, data: data ?? null, at: new Date() }).returning().get();
    const event = eventView(row);
    this.events.emit(id, event);
    return event;
  }

  eventsSince(id: string, afterId = 0): WorkflowEvent[] {
    return this.db
      .select()
      .from(workflowEvents)
      .where(and(eq(workflowEvents.workflowId, id), gt(workflowEvents.id, afterId)))
      .orderBy(asc(workflowEvents.id))
      .all()
      .map(eventView);
  }

  /** Calls `listener` for each new event of the workflow; returns the unsubscribe function. */
  subscribe(id: string, listener: (event: WorkflowEvent) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  get(id: string): WorkflowView | undefined {
    const row = this.db.select().from(workflows).where(eq(workflows.id, id)).get();
    if (!row) return undefined;
    const steps = this.db.select().from(workflowSteps).where(eq(workflowSteps.workflowId, id)).orderBy(asc(workflowSteps.stepOrder)).all();
    const view = workflowView(row, steps);
    if (row.mode === "react") {
      view.react_turns = this.db
        .select()
        .from(reactTurns)
        .where(eq(reactTurns.workflowId, id))
        .orderBy(asc(reactTurns.turn))
        .all()
        .map((t) => ({ turn: t.turn, action: t.action, args: t.args, observation: t.observation, at: t.at.toISOString() }));
    }
    return view;
  }

  list(options: { status?: WorkflowStatus | undefined; limit: number }): Array<Omit<WorkflowView, "steps" | "workflow_plan" | "problems" | "compensations">> {
    const query = this.db.select().from(workflows);
    const rows = (options.status ? query.where(eq(workflows.status, options.status)) : query).orderBy(desc(workflows.createdAt)).limit(options.limit).all();
    return rows.map((row) => {
      const { steps: _s, workflow_plan: _p, problems: _e, compensations: _c, ...summary } = workflowView(row, []);
      return summary;
    });
  }

  /** Workflows a crash left mid-flight, to be marked failed on start-up. */
  unfinished(): string[] {
    return this.db
      .select({ id: workflows.id })
      .from(workflows)
      .where(inArray(workflows.status, ["planning", "running"]))
      .all()
      .map((r) => r.id);
  }
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function eventView(row: typeof workflowEvents.$inferSelect): WorkflowEvent {
  return { id: row.id, workflow_id: row.workflowId, type: row.type, step_id: row.stepId, data: row.data, at: row.at.toISOString() };
}

function workflowView(row: typeof workflows.$inferSelect, steps: Array<typeof workflowSteps.$inferSelect>): WorkflowView {
  return {
    request_id: row.id,
    user_request: row.userRequest,
    mode: row.mode,
    planner: row.planner,
    priority: row.priority,
    context: (row.context as Record<string, unknown> | null) ?? null,
    status: row.status,
    workflow_plan: (row.plan as WorkflowPlan | null) ?? null,
    problems: row.problems ?? null,
    steps: steps.map((s) => ({
      step_id: s.stepId,
      step_order: s.stepOrder,
      service_name: s.serviceName,
      operation: s.operation,
      status: s.status,
      attempts: s.attempts,
      parameters: s.parameters,
      result: s.result ?? null,
      error: s.error ?? null,
      started_at: iso(s.startedAt),
      finished_at: iso(s.finishedAt),
      duration_ms: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
    })),
    final_result: row.finalResult,
    error: row.error,
    compensations: row.compensations ?? null,
    llm_usage: {
      calls: row.llmCalls,
      prompt_tokens: row.promptTokens,
      completion_tokens: row.completionTokens,
      total_tokens: row.promptTokens + row.completionTokens,
    },
    callback: row.callbackUrl ? { url: row.callbackUrl, status: row.callbackStatus } : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    finished_at: iso(row.finishedAt),
  };
}
