import { describeFetchError } from "./fetch-error.js";

/** Outcome of one health probe of one instance. */
export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

const BODY_SNIPPET_LENGTH = 200;

async function bodySnippet(response: Response): Promise<string> {
  const text = (await response.text()).trim();
  return text ? `: ${text.slice(0, BODY_SNIPPET_LENGTH)}` : "";
}

/**
 * Probes `GET <base>/health/ready`, falling back to `GET <base>/health` when the first
 * answers 404 (MCP servers and older services only have the liveness route). Ready is
 * a plain 2xx check; `/health` must also not report a JSON `status` other than "ok",
 * since an agent that is up but cannot reach its MCP server says "degraded" there.
 * One timeout bounds the whole probe, fallback included.
 */
export async function probeInstance(fetchImpl: typeof fetch, baseUrl: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  const signal = AbortSignal.timeout(timeoutMs);
  const init: RequestInit = { headers: { accept: "application/json" }, signal };
  try {
    let path = "/health/ready";
    let response = await fetchImpl(`${baseUrl}${path}`, init);
    if (response.status === 404) {
      await response.body?.cancel();
      path = "/health";
      response = await fetchImpl(`${baseUrl}${path}`, init);
    }
    if (!response.ok) {
      return { ok: false, latencyMs: elapsed(), error: `GET ${path} answered HTTP ${response.status}${await bodySnippet(response)}` };
    }
    if (path === "/health/ready") {
      await response.body?.cancel();
      return { ok: true, latencyMs: elapsed() };
    }
    const text = await response.text();
    let status: unknown;
    try {
      status = (JSON.parse(text) as { status?: unknown } | null)?.status;
    } catch {
      // A non-JSON 2xx liveness answer still means the process is up.
      status = undefined;
    }
    if (status !== undefined && status !== "ok") {
      return { ok: false, latencyMs: elapsed(), error: `GET /health reports status ${JSON.stringify(status)}` };
    }
    return { ok: true, latencyMs: elapsed() };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: describeFetchError(error, timeoutMs) };
  }
}
