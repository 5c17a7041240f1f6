export interface RegistrationOptions {
  /** Base URL of the registry, e.g. http://127.0.0.1:8090. */
  registryUrl: string;
  serviceName: string;
  /** The URL the registry should route to. */
  url: string;
  ttlSeconds: number;
  log: (message: string) => void;
  /** Limit for one registry call. */
  requestTimeoutMs?: number;
}

/** A running heartbeat; `stop()` ends it and deregisters. */
export interface Registration {
  /** Resolves when the heartbeat in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Registers with the registry now and every ttl/3 seconds (so two missed heartbeats still
 * leave the entry alive), and deregisters on `stop()`. Failures are logged, never thrown:
 * a registry outage must not take the agent service down.
 */
export function startRegistration(options: RegistrationOptions): Registration {
  const endpoint = `${options.registryUrl}/register`;
  const timeoutMs = options.requestTimeoutMs ?? 5_000;
  let lastFailure: string | undefined;
  let inProgress: Promise<void> = Promise.resolve();

  async function send(method: "POST" | "DELETE", body: Record<string, unknown>): Promise<void> {
    try {
      const response = await fetch(endpoint, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (method === "POST" && lastFailure !== undefined) {
        options.log(`registered with ${options.registryUrl} again`);
        lastFailure = undefined;
      }
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      const failure = `${error instanceof Error ? error.message : String(error)}${cause}`;
      // One line per distinct failure, so a registry that stays down does not flood the log.
      if (failure !== lastFailure || method === "DELETE") {
        options.log(`${method === "POST" ? "registration" : "deregistration"} at ${endpoint} failed: ${failure}`);
      }
      lastFailure = failure;
    }
  }

  const register = () => {
    inProgress = send("POST", { service_name: options.serviceName, url: options.url, ttl_seconds: options.ttlSeconds });
  };
  register();
  const timer = setInterval(register, Math.max(1, (options.ttlSeconds * 1000) / 3));
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await inProgress;
      await send("DELETE", { service_name: options.serviceName, url: options.url });
    },
  };
}
