import type { AgentServiceRequest, AgentServiceResponse, ServiceCapabilities, ServiceDirectory } from "../../src/index.js";

export interface ScriptedCall {
  service: string;
  request: AgentServiceRequest;
  startedAt: number;
  finishedAt?: number;
}

type Behaviour = (request: AgentServiceRequest, attempt: number, signal?: AbortSignal) => Promise<Partial<AgentServiceResponse> & { success: boolean }>;

/**
 * A service directory whose operations behave as each test scripts them (succeed, fail N
 * times, hang): the executor's port, driven without any network so policies can be forced.
 */
export class ScriptedDirectory implements ServiceDirectory {
  readonly calls: ScriptedCall[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly capabilities: ServiceCapabilities[]) {}

  on(service: string, operation: string, behaviour: Behaviour): this {
    this.behaviours.set(`${service}.${operation}`, behaviour);
    return this;
  }

  healthyCapabilities(): ServiceCapabilities[] {
    return this.capabilities;
  }

  unhealthyServices(): string[] {
    return [];
  }

  snapshot(): unknown {
    return { services: this.capabilities.map((c) => ({ name: c.service_name, status: "healthy" })) };
  }

  async execute(service: string, request: AgentServiceRequest, signal?: AbortSignal): Promise<AgentServiceResponse> {
    const call: ScriptedCall = { service, request, startedAt: performance.now() };
    this.calls.push(call);
    const key = `${service}.${request.operation}`;
    const attempt = (this.attempts.get(`${key}:${request.request_id}`) ?? 0) + 1;
    this.attempts.set(`${key}:${request.request_id}`, attempt);
    const behaviour = this.behaviours.get(key) ?? (async () => ({ success: true, result: { ok: true } }));
    try {
      const outcome = await behaviour(request, attempt, signal);
      return { request_id: request.request_id, result: null, execution_time: 0, metadata: {}, timestamp: new Date().toISOString(), ...outcome };
    } finally {
      call.finishedAt = performance.now();
    }
  }
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Capabilities in the agent services' format for a few made-up operations. */
export function operation(name: string, options: { readOnly?: boolean; compensation?: string; required?: string[] } = {}) {
  const required = options.required ?? [];
  return {
    name,
    description: name,
    kind: "mcp" as const,
    input_schema: { type: "object", properties: Object.fromEntries(required.map((r) => [r, {}])), required },
    output_schema: null,
    annotations: { read_only: options.readOnly ?? false, destructive: false, idempotent: false },
    compensation: options.compensation ?? null,
  };
}
