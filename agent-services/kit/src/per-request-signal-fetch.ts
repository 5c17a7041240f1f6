import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { createAbortScope } from "./abort-scope.js";

// Responses with these statuses must not carry a body, so they are returned untouched.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function releaseWhenBodyEnds(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          release();
          controller.close();
          return;
        }
        controller.enqueue(chunk.value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}

/**
 * A `fetch` for `StreamableHTTPClientTransport` that gives every request its own AbortSignal.
 *
 * Why: the SDK transport passes one long-lived AbortController signal (aborted only when the
 * transport closes) to every POST. Node's fetch (undici) adds an `abort` listener to that signal
 * for each Request and removes it only when the Request is garbage-collected (after raising the
 * signal's listener limit to 1,500), so a busy long-lived client accumulates listeners between
 * collections and prints MaxListenersExceededWarning. Here each request gets a child signal
 * (see `createAbortScope`: one fan-out listener on the transport's signal in total), released as
 * soon as the response body ends or is cancelled; closing the transport still aborts every
 * request in flight.
 *
 * `observe` receives the transport's signal, so callers can count what hangs on it.
 */
export function createPerRequestSignalFetch(observe?: (transportSignal: AbortSignal) => void, baseFetch: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const outer = init?.signal;
    if (!outer || outer.aborted) return baseFetch(url, init);
    observe?.(outer);
    const scope = createAbortScope({ parent: outer });
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      scope.dispose();
    };
    try {
      const response = await baseFetch(url, { ...init, signal: scope.signal });
      if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
        release();
        return response;
      }
      return new Response(releaseWhenBodyEnds(response.body, release), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      release();
      throw error;
    }
  };
}
