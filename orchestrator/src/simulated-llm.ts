import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { resolveParameters } from "./executor.js";
import { RulePlanner } from "./planner/rule-planner.js";
import type { WorkflowPlan } from "./plan-schema.js";
import { runValidationCheck } from "./validation-checks.js";

export interface ChatMessage {
  role: string;
  content: string | null | Array<{ type: string; text?: string }>;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  temperature?: number;
}

/** Decides what the simulated model says; a string is sent as is, anything else as JSON. */
export type ChatResponder = (request: ChatRequest, callNumber: number) => unknown | Promise<unknown>;

export interface SimulatedLlmOptions {
  respond?: ChatResponder;
  /** Added before every answer, to stand in for model latency. */
  latencyMs?: number;
}

export interface SimulatedLlm {
  app: Hono;
  /** Every chat request received, in order. */
  requests: ChatRequest[];
}

function textOf(message: ChatMessage | undefined): string {
  if (!message?.content) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => part.text ?? "").join("");
}

// About four characters a token: close enough for budgets and reports.
const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/**
 * An OpenAI-compatible chat completions server (real HTTP, real wire format) whose answers
 * come from a responder: by default a model that plans like the rule planner and, in ReAct
 * mode, walks the same plan one action at a time.
 */
export function createSimulatedLlm(options: SimulatedLlmOptions = {}): SimulatedLlm {
  const respond = options.respond ?? planningResponder();
  const requests: ChatRequest[] = [];
  const app = new Hono();

  const handler = async (c: import("hono").Context) => {
    let body: ChatRequest;
    try {
      body = (await c.req.json()) as ChatRequest;
    } catch {
      return c.json({ error: { message: "invalid JSON body", type: "invalid_request_error", code: null } }, 400);
    }
    if (!Array.isArray(body.messages) || typeof body.model !== "string") {
      return c.json({ error: { message: "model and messages are required", type: "invalid_request_error", code: null } }, 400);
    }
    requests.push(body);
    const callNumber = requests.length;
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const answer = await respond(body, callNumber);
    const content = typeof answer === "string" ? answer : JSON.stringify(answer);
    const promptTokens = estimateTokens(body.messages.map(textOf).join("\n"));
    const completionTokens = estimateTokens(content);
    return c.json({
      id: `chatcmpl-${randomUUID()}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  };

  app.post("/v1/chat/completions", handler);
  app.post("/chat/completions", handler);
  const models = (c: import("hono").Context) => c.json({ object: "list", data: [{ id: "switchyard-simulated", object: "model", created: 0, owned_by: "switchyard" }] });
  app.get("/v1/models", models);
  app.get("/models", models);
  return { app, requests };
}

async function rulePlanFor(userRequest: string): Promise<WorkflowPlan | undefined> {
  try {
    const proposal = await new RulePlanner().propose({ requestId: "simulated", userRequest, capabilities: [] });
    return proposal.candidate as WorkflowPlan;
  } catch {
    return undefined;
  }
}

/** The default responder: correct plans for the rule planner's requests, and ReAct turns that follow them. */
export function planningResponder(): ChatResponder {
  return async (request) => {
    const userRequest = textOf(request.messages.find((m) => m.role === "user"));
    const plan = await rulePlanFor(userRequest);
    const kind = request.response_format?.json_schema?.name;
    if (kind === "react_action") return reactTurn(request, plan);
    if (!plan) return { workflow_plan: null, note: "I cannot plan this request." };
    return { workflow_plan: plan };
  };
}

function reactTurn(request: ChatRequest, plan: WorkflowPlan | undefined): unknown {
  if (!plan) return { thought: "I do not know how to do this.", action: "final_answer", args: { answer: "I cannot help with this request.", success: false } };
  const steps = [...plan.execution_steps].sort((a, b) => a.step_order - b.step_order);
  const observations = request.messages
    .filter((m) => m.role === "user" && textOf(m).startsWith("Observation: "))
    .map((m) => JSON.parse(textOf(m).slice("Observation: ".length)) as { success: boolean; result?: unknown; error?: string });
  const results = new Map<string, unknown>();
  for (const [index, observation] of observations.entries()) {
    const step = steps[index];
    if (!step) break;
    if (!observation.success) {
      return { thought: "The last action failed, so I stop here.", action: "final_answer", args: { answer: `Could not complete the request: ${observation.error ?? "an action failed"}`, success: false } };
    }
    for (const check of step.validation_checks) {
      if (!runValidationCheck(check, observation.result).passed) {
        return { thought: "A precondition does not hold.", action: "final_answer", args: { answer: `Could not complete the request: ${check} does not hold`, success: false } };
      }
    }
    results.set(step.step_id, observation.result);
  }
  const next = steps[observations.length];
  if (!next) return { thought: "Everything is done.", action: "final_answer", args: { answer: `Done: ${plan.validation_summary}`, success: true } };
  let args: Record<string, unknown>;
  try {
    args = resolveParameters(next.parameters, results);
  } catch {
    return { thought: "A needed value is missing.", action: "final_answer", args: { answer: "Could not complete the request: a needed value is missing", success: false } };
  }
  return { thought: `Next: ${next.step_id}`, action: `${next.service_name}.${next.operation}`, args };
}
