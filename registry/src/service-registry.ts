import { agentServiceResponseSchema, type AgentServiceRequest, type AgentServiceResponse } from "./agent-wire.js";
import { joinUrl, normalizeBaseUrl } from "./base-url.js";
import { fetchCapabilities, hashCapabilities, type ServiceCapabilities } from "./capabilities.js";
import { describeFetchError } from "./fetch-error.js";
import { probeInstance } from "./health-probe.js";
import { createStderrLogger, type RegistryLogger } from "./logger.js";
import { NoHealthyInstanceError, RegistryError, type FailedAttempt } from "./registry-error.js";
import { RegistryEventLog, type RegistryEvent, type RegistryEventListener, type RegistryEventType } from "./registry-events.js";
import {
  deregistrationSchema,
  registrationSchema,
  serviceNameSchema,
  type Deregistration,
  type DeregistrationOutcome,
  type Registration,
  type RegistrationResult,
} from "./registration.js";
import type { InstanceSnapshot, InstanceSource, InstanceStatus, RegistrySnapshot, ServiceSnapshot, ServiceStatus } from "./snapshot.js";

/** How to build a registry; every field has a default. */
export interface ServiceRegistryOptions {
  /** Instances from configuration, by service name; they never expire. */
  staticServices?: Record<string, readonly string[]>;
  /** Time between health-check rounds once `start()`ed. Default 5000. */
  healthCheckIntervalMs?: number;
  /** Bound on one probe (and on one capabilities fetch). Default 2000. */
  healthCheckTimeoutMs?: number;
  /** Consecutive failures before an instance is marked unhealthy. Default 2. */
  unhealthyThreshold?: number;
  /** Consecutive successful probes before an instance is marked healthy. Default 1. */
  healthyThreshold?: number;
  /** Time between capability refreshes once `start()`ed. Default 30000. */
  capabilitiesRefreshMs?: number;
  /** TTL of a registration that does not name one. Default 30. */
  defaultTtlSeconds?: number;
  /** How many recent events `recentEvents()` keeps. Default 200. */
  maxRecentEvents?: number;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Where up/down changes are reported; defaults to stderr. */
  logger?: RegistryLogger;
  /** Clock in epoch milliseconds; injectable so TTL expiry can be tested without waiting. */
  now?: () => number;
}

/** A request to an instance; the body must be replayable, since it may be sent to a second instance. */
export type ServiceRequestInit = Omit<RequestInit, "body"> & { body?: string };

/** The answer of `request()`: the response (body unread) and who gave it. */
export interface ServiceResponse {
  response: Response;
  instanceUrl: string;
  /** Instances tried before (connection error or 502/503), in order. */
  failedAttempts: FailedAttempt[];
}

/** The answer of `execute()`: the agent's HTTP status and parsed `AgentServiceResponse`. */
export interface ExecuteResult {
  status: number;
  response: AgentServiceResponse;
  instanceUrl: string;
  failedAttempts: FailedAttempt[];
}

/** Discovery, health, capabilities and load balancing for the agent services. */
export interface ServiceRegistry {
  /** Starts the health-check and capability-refresh timers, with an immediate first round. */
  start(): void;
  /** Stops the timers and waits for a round in progress to finish. */
  stop(): Promise<void>;
  /** Runs one health-check round now (after any round in progress) and returns the resulting snapshot. */
  checkNow(): Promise<RegistrySnapshot>;
  /** Re-reads capabilities of one service, or of every service with a healthy instance. */
  refreshCapabilities(serviceName?: string): Promise<void>;
  /** Adds an instance, or renews its TTL when it is already known (the heartbeat). */
  register(registration: Registration): RegistrationResult;
  /** Removes a registered instance; static instances stay. */
  deregister(deregistration: Deregistration): DeregistrationOutcome;
  /** The next healthy instance of a service, round-robin; throws `NoHealthyInstanceError`. */
  pickInstance(serviceName: string): string;
  /** Sends `init` to `<instance><path>` with failover over healthy instances (see README for the rules). */
  request(serviceName: string, path: string, init?: ServiceRequestInit): Promise<ServiceResponse>;
  /** `POST /execute` on a healthy instance with failover; parses the `AgentServiceResponse`. */
  execute(serviceName: string, body: AgentServiceRequest, options?: { signal?: AbortSignal }): Promise<ExecuteResult>;
  /** Everything the registry knows now. */
  snapshot(): RegistrySnapshot;
  /** One service's snapshot, or undefined when the name is unknown. */
  service(name: string): ServiceSnapshot | undefined;
  /** Cached capabilities of every service with at least one healthy instance, by service name. */
  healthyCapabilities(): ServiceCapabilities[];
  /** Names of known services without a healthy instance. */
  unhealthyServices(): string[];
  /** Listens to one event type; returns a function that unsubscribes. */
  on<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): () => void;
  off<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): void;
  /** Listens to every event; returns a function that unsubscribes. */
  subscribe(listener: (event: RegistryEvent) => void): () => void;
  /** Recent events (bounded), oldest first; with `afterId` only newer ones. */
  recentEvents(afterId?: number): RegistryEvent[];
}

interface InstanceRecord {
  url: string;
  source: InstanceSource;
  status: InstanceStatus;
  lastCheck: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  latencyMs: number | null;
  expiresAt: number | null;
}

interface ServiceRecord {
  name: string;
  instances: Map<string, InstanceRecord>;
  cursor: number;
  capabilities: ServiceCapabilities | null;
  capabilitiesHash: string | null;
  capabilitiesUpdatedAt: number | null;
  refreshing: Promise<void> | null;
}

/** Answers that mean "this instance cannot serve right now", so another may: the request did not run. */
const FAILOVER_STATUSES = new Set([502, 503]);

interface Answer<T> {
  status: number;
  value: T;
  discard(): Promise<void>;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 1) {
    throw new RegistryError("INVALID_OPTIONS", `${name} must be a positive integer, got ${String(value)}`);
  }
  return result;
}

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result <= 0) {
    throw new RegistryError("INVALID_OPTIONS", `${name} must be a positive number, got ${String(value)}`);
  }
  return result;
}

function problemsOf(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message }));
}

class DefaultServiceRegistry implements ServiceRegistry {
  private readonly services = new Map<string, ServiceRecord>();
  private readonly events: RegistryEventLog;
  private readonly fetchImpl: typeof fetch;
  private readonly logger: RegistryLogger;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly unhealthyThreshold: number;
  private readonly healthyThreshold: number;
  private readonly capabilitiesRefreshMs: number;
  private readonly defaultTtlSeconds: number;
  private healthTimer: NodeJS.Timeout | undefined;
  private capabilitiesTimer: NodeJS.Timeout | undefined;
  // Rounds run one after another so that two never apply results to the same counters at once.
  private checkChain: Promise<unknown> = Promise.resolve();
  private pendingRounds = 0;

  constructor(options: ServiceRegistryOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.logger = options.logger ?? createStderrLogger();
    this.now = options.now ?? Date.now;
    this.intervalMs = positiveInteger("healthCheckIntervalMs", options.healthCheckIntervalMs, 5_000);
    this.timeoutMs = positiveInteger("healthCheckTimeoutMs", options.healthCheckTimeoutMs, 2_000);
    this.unhealthyThreshold = positiveInteger("unhealthyThreshold", options.unhealthyThreshold, 2);
    this.healthyThreshold = positiveInteger("healthyThreshold", options.healthyThreshold, 1);
    this.capabilitiesRefreshMs = positiveInteger("capabilitiesRefreshMs", options.capabilitiesRefreshMs, 30_000);
    this.defaultTtlSeconds = positiveNumber("defaultTtlSeconds", options.defaultTtlSeconds, 30);
    this.events = new RegistryEventLog(positiveInteger("maxRecentEvents", options.maxRecentEvents, 200), this.now, (error) =>
      this.logger.warn(`an event listener threw: ${error instanceof Error ? error.message : String(error)}`),
    );
    for (const [name, urls] of Object.entries(options.staticServices ?? {})) {
      if (!serviceNameSchema.safeParse(name).success) {
        throw new RegistryError("INVALID_OPTIONS", `staticServices: "${name}" is not a valid service name`);
      }
      const service = this.serviceRecord(name);
      for (const raw of urls) {
        const url = normalizeBaseUrl(raw);
        if (url === undefined) throw new RegistryError("INVALID_OPTIONS", `staticServices.${name}: "${raw}" is not an absolute http(s) URL`);
        if (!service.instances.has(url)) service.instances.set(url, this.newInstance(url, "static", null));
      }
    }
  }

  start(): void {
    if (this.healthTimer) return;
    this.healthTimer = setInterval(() => this.tick(), this.intervalMs);
    this.capabilitiesTimer = setInterval(() => {
      this.refreshCapabilities().catch((error: unknown) => this.logger.warn(`capability refresh failed: ${String(error)}`));
    }, this.capabilitiesRefreshMs);
    // Timers must not keep an embedding process alive on their own.
    this.healthTimer.unref();
    this.capabilitiesTimer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.healthTimer);
    clearInterval(this.capabilitiesTimer);
    this.healthTimer = undefined;
    this.capabilitiesTimer = undefined;
    await this.checkChain.catch(() => undefined);
    await Promise.all([...this.services.values()].map((service) => service.refreshing?.catch(() => undefined)));
  }

  async checkNow(): Promise<RegistrySnapshot> {
    await this.enqueueCheck();
    return this.snapshot();
  }

  async refreshCapabilities(serviceName?: string): Promise<void> {
    const targets = serviceName === undefined ? [...this.services.values()] : [this.services.get(serviceName)].filter((s) => s !== undefined);
    await Promise.all(targets.filter((service) => this.healthyOf(service).length > 0).map((service) => this.refreshService(service)));
  }

  register(registration: Registration): RegistrationResult {
    const parsed = registrationSchema.safeParse(registration);
    if (!parsed.success) {
      throw new RegistryError("INVALID_REGISTRATION", "The registration is invalid", problemsOf(parsed.error));
    }
    const { service_name: name, url } = parsed.data;
    this.sweepExpired();
    const service = this.serviceRecord(name);
    const existing = service.instances.get(url);
    if (existing?.source === "static") {
      return { service_name: name, url, expires_at: null, source: "static", renewed: true };
    }
    const expiresAt = this.now() + (parsed.data.ttl_seconds ?? this.defaultTtlSeconds) * 1000;
    const expiresIso = new Date(expiresAt).toISOString();
    if (existing) {
      existing.expiresAt = expiresAt;
      return { service_name: name, url, expires_at: expiresIso, source: "registered", renewed: true };
    }
    service.instances.set(url, this.newInstance(url, "registered", expiresAt));
    this.logger.info(`${name} instance ${url} registered (expires ${expiresIso} without a heartbeat)`);
    this.events.emit("instance_registered", name, url, { source: "registered", expires_at: expiresIso });
    return { service_name: name, url, expires_at: expiresIso, source: "registered", renewed: false };
  }

  deregister(deregistration: Deregistration): DeregistrationOutcome {
    const parsed = deregistrationSchema.safeParse(deregistration);
    if (!parsed.success) {
      throw new RegistryError("INVALID_REGISTRATION", "The deregistration is invalid", problemsOf(parsed.error));
    }
    const { service_name: name, url } = parsed.data;
    this.sweepExpired();
    const service = this.services.get(name);
    const record = service?.instances.get(url);
    if (!service || !record) return "not_found";
    if (record.source === "static") return "static";
    this.removeInstance(service, record, "deregistered");
    return "removed";
  }

  pickInstance(serviceName: string): string {
    return this.candidates(serviceName)[0]!;
  }

  async request(serviceName: string, path: string, init: ServiceRequestInit = {}): Promise<ServiceResponse> {
    const { answer, instanceUrl, failedAttempts } = await this.sendWithFailover(serviceName, init.signal ?? undefined, async (baseUrl) => {
      const response = await this.fetchImpl(joinUrl(baseUrl, path), init);
      return { status: response.status, value: response, discard: async () => void (await response.body?.cancel()) };
    });
    return { response: answer.value, instanceUrl, failedAttempts };
  }

  async execute(serviceName: string, body: AgentServiceRequest, options: { signal?: AbortSignal } = {}): Promise<ExecuteResult> {
    const payload = JSON.stringify(body);
    const { answer, instanceUrl, failedAttempts } = await this.sendWithFailover(serviceName, options.signal, async (baseUrl) => {
      const response = await this.fetchImpl(joinUrl(baseUrl, "/execute"), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: payload,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // Read inside the attempt: a connection lost mid-body is a failed attempt like a refused one.
      const text = await response.text();
      return { status: response.status, value: text, discard: async () => undefined };
    });
    let json: unknown;
    try {
      json = JSON.parse(answer.value);
    } catch {
      json = undefined;
    }
    const parsed = agentServiceResponseSchema.safeParse(json);
    if (!parsed.success) {
      if (FAILOVER_STATUSES.has(answer.status)) {
        throw new NoHealthyInstanceError(serviceName, `Every healthy instance of "${serviceName}" failed: ${describeAttempts(failedAttempts)}`, failedAttempts);
      }
      throw new RegistryError(
        "INVALID_AGENT_RESPONSE",
        `${serviceName} instance ${instanceUrl} answered HTTP ${answer.status} with a body that is not an AgentServiceResponse`,
        { service_name: serviceName, instance_url: instanceUrl, status: answer.status, body: answer.value.slice(0, 500) },
      );
    }
    return { status: answer.status, response: parsed.data, instanceUrl, failedAttempts };
  }

  snapshot(): RegistrySnapshot {
    this.sweepExpired();
    return {
      services: [...this.services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((s) => this.serviceSnapshot(s)),
    };
  }

  service(name: string): ServiceSnapshot | undefined {
    this.sweepExpired();
    const service = this.services.get(name);
    return service ? this.serviceSnapshot(service) : undefined;
  }

  healthyCapabilities(): ServiceCapabilities[] {
    this.sweepExpired();
    return [...this.services.values()]
      .filter((service) => service.capabilities !== null && this.healthyOf(service).length > 0)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((service) => service.capabilities!);
  }

  unhealthyServices(): string[] {
    this.sweepExpired();
    return [...this.services.values()]
      .filter((service) => this.healthyOf(service).length === 0)
      .map((service) => service.name)
      .sort();
  }

  on<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): () => void {
    return this.events.on(type, listener);
  }

  off<K extends RegistryEventType>(type: K, listener: RegistryEventListener<K>): void {
    this.events.off(type, listener);
  }

  subscribe(listener: (event: RegistryEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  recentEvents(afterId?: number): RegistryEvent[] {
    return this.events.recent(afterId);
  }

  // ---- health checking ----

  private tick(): void {
    // A slow round (timeouts) must not pile up behind itself.
    if (this.pendingRounds > 0) return;
    this.enqueueCheck().catch((error: unknown) => this.logger.warn(`health-check round failed: ${String(error)}`));
  }

  private enqueueCheck(): Promise<void> {
    this.pendingRounds += 1;
    const round = this.checkChain
      .catch(() => undefined)
      .then(() => this.runCheck())
      .finally(() => {
        this.pendingRounds -= 1;
      });
    this.checkChain = round;
    return round;
  }

  private async runCheck(): Promise<void> {
    this.sweepExpired();
    const probes: Array<Promise<InstanceRecord | undefined>> = [];
    for (const service of this.services.values()) {
      for (const record of service.instances.values()) probes.push(this.probe(service, record));
    }
    const cameUp = new Set(await Promise.all(probes));
    // New healthy instances bring capabilities; a service whose first fetch failed retries every round.
    const refreshes: Array<Promise<void>> = [];
    for (const service of this.services.values()) {
      const firstUp = [...service.instances.values()].find((record) => cameUp.has(record));
      if (firstUp || (service.capabilities === null && this.healthyOf(service).length > 0)) {
        refreshes.push(this.refreshService(service, firstUp?.url));
      }
    }
    await Promise.all(refreshes);
  }

  /** Probes one instance and applies the result; resolves to the record when it just came up. */
  private async probe(service: ServiceRecord, record: InstanceRecord): Promise<InstanceRecord | undefined> {
    const result = await probeInstance(this.fetchImpl, record.url, this.timeoutMs);
    // Deregistered or expired while the probe ran: nothing to update.
    if (service.instances.get(record.url) !== record) return undefined;
    record.lastCheck = this.now();
    record.latencyMs = result.latencyMs;
    if (result.ok) return this.recordSuccess(service, record) ? record : undefined;
    this.recordFailure(service, record, result.error, "health_check");
    return undefined;
  }

  private recordSuccess(service: ServiceRecord, record: InstanceRecord): boolean {
    record.consecutiveFailures = 0;
    record.consecutiveSuccesses += 1;
    if (record.status === "healthy" || record.consecutiveSuccesses < this.healthyThreshold) return false;
    const previous = record.status;
    record.status = "healthy";
    this.logger.info(`${service.name} instance ${record.url} is UP (was ${previous}, probe ${record.latencyMs} ms)`);
    this.events.emit("instance_up", service.name, record.url, { source: record.source, previous_status: previous, latency_ms: record.latencyMs });
    return true;
  }

  private recordFailure(service: ServiceRecord, record: InstanceRecord, error: string, cause: "health_check" | "request"): void {
    record.consecutiveSuccesses = 0;
    record.consecutiveFailures += 1;
    record.lastError = error;
    if (record.status === "unhealthy" || record.consecutiveFailures < this.unhealthyThreshold) return;
    // Request failures route traffic away from an instance, so they never eject the last healthy
    // one: that would turn every request away until the next probe. Health checks still can.
    if (cause === "request" && this.healthyOf(service).every((other) => other === record)) return;
    const previous = record.status;
    record.status = "unhealthy";
    this.logger.warn(`${service.name} instance ${record.url} is DOWN after ${record.consecutiveFailures} consecutive failures (was ${previous}): ${error}`);
    this.events.emit("instance_down", service.name, record.url, {
      source: record.source,
      previous_status: previous,
      error,
      consecutive_failures: record.consecutiveFailures,
      cause,
    });
  }

  private sweepExpired(): void {
    const now = this.now();
    for (const service of this.services.values()) {
      for (const record of [...service.instances.values()]) {
        if (record.expiresAt !== null && record.expiresAt <= now) this.removeInstance(service, record, "expired");
      }
    }
  }

  private removeInstance(service: ServiceRecord, record: InstanceRecord, reason: "deregistered" | "expired"): void {
    service.instances.delete(record.url);
    this.logger.info(`${service.name} instance ${record.url} removed (${reason === "expired" ? "TTL passed without a heartbeat" : "deregistered"})`);
    this.events.emit("instance_removed", service.name, record.url, { source: "registered", reason, last_status: record.status });
  }

  // ---- capabilities ----

  private refreshService(service: ServiceRecord, preferredUrl?: string): Promise<void> {
    // One fetch per service at a time; later callers share it.
    if (service.refreshing) return service.refreshing;
    const refresh = this.fetchServiceCapabilities(service, preferredUrl).finally(() => {
      service.refreshing = null;
    });
    service.refreshing = refresh;
    return refresh;
  }

  private async fetchServiceCapabilities(service: ServiceRecord, preferredUrl?: string): Promise<void> {
    const healthy = this.healthyOf(service).map((record) => record.url);
    const order = preferredUrl && healthy.includes(preferredUrl) ? [preferredUrl, ...healthy.filter((url) => url !== preferredUrl)] : healthy;
    const errors: string[] = [];
    for (const url of order) {
      let capabilities: ServiceCapabilities;
      try {
        capabilities = await fetchCapabilities(this.fetchImpl, url, service.name, this.timeoutMs);
      } catch (error) {
        errors.push(`${url}: ${describeFetchError(error, this.timeoutMs)}`);
        continue;
      }
      this.storeCapabilities(service, url, capabilities);
      return;
    }
    if (errors.length > 0) this.logger.warn(`could not read capabilities of ${service.name}: ${errors.join("; ")}`);
  }

  private storeCapabilities(service: ServiceRecord, url: string, capabilities: ServiceCapabilities): void {
    const hash = hashCapabilities(capabilities);
    if (hash === service.capabilitiesHash) return;
    const before = new Set(service.capabilities?.operations.map((operation) => operation.name) ?? []);
    const after = capabilities.operations.map((operation) => operation.name);
    const previousHash = service.capabilitiesHash;
    service.capabilities = capabilities;
    service.capabilitiesHash = hash;
    service.capabilitiesUpdatedAt = this.now();
    this.logger.info(`${service.name} capabilities ${previousHash === null ? "loaded" : "changed"}: ${after.length} operations (from ${url})`);
    this.events.emit("capabilities_changed", service.name, url, {
      hash,
      previous_hash: previousHash,
      operations: after,
      added: after.filter((name) => !before.has(name)),
      removed: [...before].filter((name) => !after.includes(name)),
    });
  }

  // ---- selection and failover ----

  private healthyOf(service: ServiceRecord): InstanceRecord[] {
    return [...service.instances.values()].filter((record) => record.status === "healthy");
  }

  /** Healthy instances in the order to try them: round-robin start, then the others as fallbacks. */
  private candidates(serviceName: string): string[] {
    this.sweepExpired();
    const service = this.services.get(serviceName);
    if (!service) {
      const known = [...this.services.keys()].sort().join(", ") || "none";
      throw new NoHealthyInstanceError(serviceName, `Service "${serviceName}" is not registered (known services: ${known})`);
    }
    const healthy = this.healthyOf(service);
    if (healthy.length === 0) {
      const states = [...service.instances.values()].map((record) => `${record.url} ${record.status}`).join(", ");
      throw new NoHealthyInstanceError(
        serviceName,
        service.instances.size === 0
          ? `Service "${serviceName}" has no instances`
          : `Service "${serviceName}" has no healthy instance (${states})`,
      );
    }
    const start = service.cursor % healthy.length;
    service.cursor = (service.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return [...healthy.slice(start), ...healthy.slice(0, start)].map((record) => record.url);
  }

  /**
   * Tries healthy instances in round-robin order until one gives an answer that is not
   * 502/503. A connection error or 502/503 counts as a failure of that instance (it may
   * become unhealthy) and the next one is tried. Everything else (2xx, 4xx, 422, 500,
   * 504) is the answer and is returned as it is: a 504 means the agent gave up waiting
   * while the call may still complete, so resending is the caller's decision (safe with
   * the same idempotency key). A caller abort is rethrown at once.
   */
  private async sendWithFailover<T>(
    serviceName: string,
    signal: AbortSignal | undefined,
    send: (baseUrl: string) => Promise<Answer<T>>,
  ): Promise<{ answer: Answer<T>; instanceUrl: string; failedAttempts: FailedAttempt[] }> {
    const order = this.candidates(serviceName);
    const service = this.services.get(serviceName)!;
    const failedAttempts: FailedAttempt[] = [];
    let last: { answer: Answer<T>; instanceUrl: string } | undefined;
    for (const url of order) {
      const record = service.instances.get(url);
      // Another request may have marked it unhealthy (or it was removed) since the order was made.
      if (!record || record.status !== "healthy") continue;
      signal?.throwIfAborted();
      let answer: Answer<T>;
      try {
        answer = await send(url);
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        const message = describeFetchError(error);
        failedAttempts.push({ url, error: message });
        this.markSuspect(service, url, message);
        continue;
      }
      if (FAILOVER_STATUSES.has(answer.status)) {
        const message = `answered HTTP ${answer.status}`;
        failedAttempts.push({ url, status: answer.status, error: message });
        this.markSuspect(service, url, `${message} to a request`);
        await last?.answer.discard();
        last = { answer, instanceUrl: url };
        continue;
      }
      await last?.answer.discard();
      // A real answer shows the instance serves: earlier request failures no longer run in a row.
      record.consecutiveFailures = 0;
      return { answer, instanceUrl: url, failedAttempts };
    }
    // Every instance answered 502/503 or failed: the last 502/503 is still an answer worth returning.
    if (last) return { ...last, failedAttempts };
    throw new NoHealthyInstanceError(
      serviceName,
      failedAttempts.length === 0
        ? `Service "${serviceName}" has no healthy instance`
        : `Every healthy instance of "${serviceName}" failed: ${describeAttempts(failedAttempts)}`,
      failedAttempts,
    );
  }

  private markSuspect(service: ServiceRecord, url: string, error: string): void {
    const record = service.instances.get(url);
    if (record) this.recordFailure(service, record, error, "request");
  }

  // ---- records and snapshots ----

  private serviceRecord(name: string): ServiceRecord {
    let service = this.services.get(name);
    if (!service) {
      service = { name, instances: new Map(), cursor: 0, capabilities: null, capabilitiesHash: null, capabilitiesUpdatedAt: null, refreshing: null };
      this.services.set(name, service);
    }
    return service;
  }

  private newInstance(url: string, source: InstanceSource, expiresAt: number | null): InstanceRecord {
    return { url, source, status: "unknown", lastCheck: null, lastError: null, consecutiveFailures: 0, consecutiveSuccesses: 0, latencyMs: null, expiresAt };
  }

  private serviceSnapshot(service: ServiceRecord): ServiceSnapshot {
    const instances = [...service.instances.values()].map((record): InstanceSnapshot => ({
      url: record.url,
      source: record.source,
      status: record.status,
      last_check: record.lastCheck === null ? null : new Date(record.lastCheck).toISOString(),
      last_error: record.lastError,
      consecutive_failures: record.consecutiveFailures,
      consecutive_successes: record.consecutiveSuccesses,
      latency_ms: record.latencyMs,
      ...(record.expiresAt === null ? {} : { expires_at: new Date(record.expiresAt).toISOString() }),
    }));
    const healthy = instances.filter((instance) => instance.status === "healthy").length;
    const status: ServiceStatus = healthy === 0 ? "down" : healthy === instances.length ? "healthy" : "degraded";
    return {
      name: service.name,
      status,
      instances,
      capabilities: service.capabilities,
      capabilities_updated_at: service.capabilitiesUpdatedAt === null ? null : new Date(service.capabilitiesUpdatedAt).toISOString(),
    };
  }
}

function describeAttempts(attempts: FailedAttempt[]): string {
  return attempts.map((attempt) => `${attempt.url} ${attempt.error}`).join("; ");
}

/**
 * Builds a registry over static instances (plus any that register later). Call
 * `checkNow()` at start-up and `start()` for periodic checks.
 *
 * @example
 * const registry = createServiceRegistry({ staticServices: { inventory: ["http://127.0.0.1:8081"] } });
 * await registry.checkNow();
 * registry.start();
 * const { response } = await registry.execute("inventory", { request_id: "r1", operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });
 */
export function createServiceRegistry(options: ServiceRegistryOptions = {}): ServiceRegistry {
  return new DefaultServiceRegistry(options);
}
