import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegistration } from "../src/index.js";
import { startHttpReceiver, type HttpReceiver } from "./support/http-receiver.js";

describe("self-registration", () => {
  let registry: HttpReceiver;

  beforeAll(async () => {
    registry = await startHttpReceiver();
  });

  afterAll(async () => {
    await registry.close();
  });

  it("registers at once, heartbeats every ttl/3 and deregisters on stop", async () => {
    const logs: string[] = [];
    // A 0.3 s ttl only to keep the test short: the heartbeat comes every 0.1 s.
    const registration = startRegistration({ registryUrl: registry.url, serviceName: "inventory", url: "http://127.0.0.1:8081", ttlSeconds: 0.3, log: (m) => logs.push(m) });
    const posts = await registry.waitFor(3, (request) => request.method === "POST");
    expect(posts.every((post) => post.path === "/register")).toBe(true);
    expect(posts[0]!.body).toEqual({ service_name: "inventory", url: "http://127.0.0.1:8081", ttl_seconds: 0.3 });
    await registration.stop();
    const [deletion] = await registry.waitFor(1, (request) => request.method === "DELETE");
    expect(deletion!.path).toBe("/register");
    expect(deletion!.body).toEqual({ service_name: "inventory", url: "http://127.0.0.1:8081" });
    const count = registry.received.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(registry.received.length).toBe(count);
    expect(logs).toEqual([]);
  });

  it("logs failures (once per distinct failure) and never throws", async () => {
    const logs: string[] = [];
    registry.respondWith.push(500);
    const registration = startRegistration({ registryUrl: registry.url, serviceName: "parts", url: "http://127.0.0.1:8085", ttlSeconds: 0.15, log: (m) => logs.push(m) });
    await registry.waitFor(3, (request) => request.method === "POST" && (request.body as { service_name: string }).service_name === "parts");
    await registration.stop();
    expect(logs[0]).toMatch(/registration at .*\/register failed: HTTP 500/);
    expect(logs).toContain(`registered with ${registry.url} again`);

    const unreachable = startRegistration({ registryUrl: "http://127.0.0.1:9", serviceName: "order", url: "http://127.0.0.1:8082", ttlSeconds: 30, log: (m) => logs.push(m) });
    await expect(unreachable.stop()).resolves.toBeUndefined();
    expect(logs.some((line) => line.startsWith("registration at http://127.0.0.1:9/register failed"))).toBe(true);
    expect(logs.some((line) => line.startsWith("deregistration at http://127.0.0.1:9/register failed"))).toBe(true);
  });
});
