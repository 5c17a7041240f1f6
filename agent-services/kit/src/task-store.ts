import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./task-schema.js";
import { agentTasks, type AgentTaskRow } from "./task-schema.js";
import type { AgentServiceRequest, AgentServiceResponse, TaskView } from "./wire-format.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** A new task's request and whether it may be repeated after a crash. */
export interface NewTask {
  request: AgentServiceRequest;
  repeatable: boolean;
}

/** Task records of one agent service in `agent-<service>.db` under the data folder. */
export class TaskStore {
  readonly path: string;
  private readonly sqlite: Database.Database;
  private readonly db: BetterSQLite3Database<typeof schema>;
  private closed = false;

  constructor(dataDir: string, serviceName: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, `agent-${serviceName}.db`);
    this.sqlite = new Database(this.path);
    this.sqlite.pragma("journal_mode = WAL");
    this.sqlite.pragma("busy_timeout = 5000");
    this.sqlite.pragma("synchronous = NORMAL");
    this.db = drizzle(this.sqlite, { schema });
    migrate(this.db, { migrationsFolder });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  create(task: NewTask): AgentTaskRow {
    const now = new Date();
    return this.db
      .insert(agentTasks)
      .values({
        id: `task_${randomUUID()}`,
        status: "queued",
        request: task.request,
        repeatable: task.repeatable,
        callbackUrl: task.request.callback_url ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  }

  get(id: string): AgentTaskRow | undefined {
    return this.db.select().from(agentTasks).where(eq(agentTasks.id, id)).get();
  }

  /** Claims a queued task; false when it is no longer queued. */
  markRunning(id: string): boolean {
    const update = this.db
      .update(agentTasks)
      .set({ status: "running", updatedAt: new Date() })
      .where(and(eq(agentTasks.id, id), eq(agentTasks.status, "queued")))
      .run();
    return update.changes === 1;
  }

  /** Puts a task a stopped process left running back in the queue. */
  requeue(id: string): void {
    this.db
      .update(agentTasks)
      .set({ status: "queued", updatedAt: new Date() })
      .where(and(eq(agentTasks.id, id), eq(agentTasks.status, "running")))
      .run();
  }

  finish(id: string, response: AgentServiceResponse): void {
    this.db
      .update(agentTasks)
      .set({ status: response.success ? "succeeded" : "failed", response, updatedAt: new Date() })
      .where(eq(agentTasks.id, id))
      .run();
  }

  recordCallbackAttempt(id: string, outcome: { delivered: boolean; error?: string }): void {
    this.db
      .update(agentTasks)
      .set({
        callbackAttempts: sql`${agentTasks.callbackAttempts} + 1`,
        callbackDelivered: outcome.delivered,
        callbackLastError: outcome.error ?? null,
        updatedAt: new Date(),
      })
      .where(eq(agentTasks.id, id))
      .run();
  }

  /** Tasks a stopped or crashed process left queued or running, oldest first. */
  listUnfinished(): AgentTaskRow[] {
    return this.db
      .select()
      .from(agentTasks)
      .where(inArray(agentTasks.status, ["queued", "running"]))
      .orderBy(asc(agentTasks.createdAt))
      .all();
  }

  /** Finished tasks whose callback has not been delivered and may still be tried. */
  listUndeliveredCallbacks(maxAttempts: number): AgentTaskRow[] {
    return this.db
      .select()
      .from(agentTasks)
      .where(
        and(
          inArray(agentTasks.status, ["succeeded", "failed"]),
          eq(agentTasks.callbackDelivered, false),
          lt(agentTasks.callbackAttempts, maxAttempts),
        ),
      )
      .orderBy(asc(agentTasks.createdAt))
      .all()
      .filter((row) => row.callbackUrl !== null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sqlite.close();
  }
}

/** The `GET /status/:task_id` view of a row. */
export function taskView(row: AgentTaskRow): TaskView {
  return {
    task_id: row.id,
    status: row.status,
    request: row.request,
    ...(row.response ? { response: row.response } : {}),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    callback: {
      url: row.callbackUrl,
      attempts: row.callbackAttempts,
      delivered: row.callbackDelivered,
      ...(row.callbackLastError ? { last_error: row.callbackLastError } : {}),
    },
  };
}
