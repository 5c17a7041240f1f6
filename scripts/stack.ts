/** The processes that make up a local Switchyard stack, with their ports and health URLs. */
export interface StackProcess {
  name: string;
  entry: string;
  env: Record<string, string>;
  healthUrl: string;
  url: string;
}

export interface StackPorts {
  mcp: Record<ServiceName, number>;
  agent: Record<ServiceName, number>;
  registry: number;
  orchestrator: number;
}

export const serviceNames = ["inventory", "order", "payment", "repair-orders", "parts"] as const;
export type ServiceName = (typeof serviceNames)[number];

const upper = (name: ServiceName) => name.toUpperCase().replace(/-/g, "_");

export const defaultPorts: StackPorts = {
  mcp: { inventory: 3001, payment: 3002, "repair-orders": 3003, order: 3004, parts: 3005 },
  agent: { inventory: 8081, order: 8082, payment: 8083, "repair-orders": 8084, parts: 8085 },
  registry: 8090,
  orchestrator: 8086,
};

function port(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new Error(`${variable} must be a port number from 1 to 65535, not "${value}"`);
  return parsed;
}

/** Ports from the environment (the same variables each service reads), else the defaults. */
export function portsFromEnv(env: NodeJS.ProcessEnv): StackPorts {
  const mcp = {} as Record<ServiceName, number>;
  const agent = {} as Record<ServiceName, number>;
  for (const name of serviceNames) {
    mcp[name] = port(env, `${upper(name)}_MCP_PORT`, defaultPorts.mcp[name]);
    agent[name] = port(env, `${upper(name)}_AGENT_PORT`, defaultPorts.agent[name]);
  }
  return { mcp, agent, registry: port(env, "REGISTRY_PORT", defaultPorts.registry), orchestrator: port(env, "ORCHESTRATOR_PORT", defaultPorts.orchestrator) };
}

/** The stack in start order: MCP servers, registry, agent services, orchestrator. */
export function stackProcesses(ports: StackPorts, dataDir: string, host = "127.0.0.1"): StackProcess[] {
  const base = `http://${host}`;
  const shared = { DATA_DIR: dataDir };
  const mcp = serviceNames.map((name) => ({
    name: `${name}-mcp`,
    entry: `mcp-servers/${name}/src/http.ts`,
    env: { ...shared, [`${upper(name)}_MCP_PORT`]: String(ports.mcp[name]) },
    healthUrl: `${base}:${ports.mcp[name]}/health`,
    url: `${base}:${ports.mcp[name]}/mcp`,
  }));
  const registryUrl = `${base}:${ports.registry}`;
  const serviceUrls = Object.fromEntries(serviceNames.map((name) => [`${upper(name)}_SERVICE_URL`, `${base}:${ports.agent[name]}`]));
  const registry = {
    name: "registry",
    entry: "registry/src/main.ts",
    env: { ...shared, ...serviceUrls, REGISTRY_PORT: String(ports.registry) },
    healthUrl: `${registryUrl}/health`,
    url: registryUrl,
  };
  const agents = serviceNames.map((name) => ({
    name: `${name}-agent`,
    entry: `agent-services/${name}/src/main.ts`,
    env: {
      ...shared,
      [`${upper(name)}_AGENT_PORT`]: String(ports.agent[name]),
      [`${upper(name)}_MCP_URL`]: `${base}:${ports.mcp[name]}/mcp`,
      REGISTRY_URL: registryUrl,
    },
    healthUrl: `${base}:${ports.agent[name]}/health/ready`,
    url: `${base}:${ports.agent[name]}`,
  }));
  const orchestrator = {
    name: "orchestrator",
    entry: "orchestrator/src/main.ts",
    env: { ...shared, ...serviceUrls, ORCHESTRATOR_PORT: String(ports.orchestrator) },
    healthUrl: `${base}:${ports.orchestrator}/health`,
    url: `${base}:${ports.orchestrator}`,
  };
  return [...mcp, registry, ...agents, orchestrator];
}
