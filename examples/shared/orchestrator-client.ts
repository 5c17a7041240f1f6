import type { WorkflowEvent, WorkflowView } from "@switchyard/orchestrator";
import { EventSourceParserStream } from "eventsource-parser/stream";

/** The orchestrator could not be reached at all: the stack is most likely not running. */
export class StackNotRunningError extends Error {
  override readonly name = "StackNotRunningError";
  constructor(readonly url: string) {
    super(`cannot reach the orchestrator at ${url}; is the stack running? Start it with \`npm start\` (or pass --url).`);
  }
}

/** The orchestrator answered with an error status. */
export class OrchestratorHttpError extends Error {
  override readonly name = "OrchestratorHttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** What `GET /health` says. */
export interface OrchestratorHealth {
  status: string;
  planner: "rules" | "llm";
  healthy_services: string[];
  unhealthy_services: string[];
}

/** A small client of the orchestrator's HTTP API, as the examples use it. */
export class OrchestratorClient {
  constructor(readonly baseUrl: string) {}

  /** `GET /health`. */
  health(): Promise<OrchestratorHealth> {
    return this.json<OrchestratorHealth>("/health");
  }

  /** `GET /workflow/:id`. */
  workflow(requestId: string): Promise<WorkflowView> {
    return this.json<WorkflowView>(`/workflow/${encodeURIComponent(requestId)}`);
  }

  /**
   * Starts a request with `POST /orchestrate-async`, follows its event stream until the
   * workflow finishes or is rejected, handing each event to `onEvent`, and returns the
   * finished workflow.
   */
  async run(userRequest: string, options: { mode?: "plan" | "react"; onEvent?: (event: WorkflowEvent) => void | Promise<void> } = {}): Promise<WorkflowView> {
    const accepted = await this.json<{ request_id: string; events_url: string }>("/orchestrate-async", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_request: userRequest, ...(options.mode ? { mode: options.mode } : {}) }),
    });
    const response = await this.fetch(`/workflow/${encodeURIComponent(accepted.request_id)}/events`);
    if (!response.ok || !response.body) throw new OrchestratorHttpError(response.status, "EVENTS_UNAVAILABLE", "cannot follow the workflow's events", null);
    const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    for await (const message of messages) {
      if (message.event === "ping") continue;
      await options.onEvent?.(JSON.parse(message.data) as WorkflowEvent);
    }
    return this.workflow(accepted.request_id);
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path, this.baseUrl), init);
    } catch {
      throw new StackNotRunningError(this.baseUrl);
    }
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.fetch(path, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OrchestratorHttpError(response.status, "NOT_JSON", `${this.baseUrl} answered something that is not JSON; is it the orchestrator?`, text.slice(0, 200));
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } }).error;
      throw new OrchestratorHttpError(response.status, error?.code ?? "HTTP_ERROR", error?.message ?? text, error?.details ?? null);
    }
    return body as T;
  }
}
