import { validatePartNumber, type AgentServiceDefinition } from "@switchyard/agent-kit";

/** The parts agent service: its MCP server, compensation and local part-number check. */
export const partsAgentDefinition: AgentServiceDefinition = {
  name: "parts",
  version: "0.1.0",
  description:
    "Automotive parts: validate and search part numbers, check availability and vehicle compatibility, find alternatives, and reserve, release or consume parts for a repair.",
  defaultPort: 8085,
  defaultMcpUrl: "http://127.0.0.1:3005/mcp",
  compensations: { reserve_parts: "release_parts" },
  localOperations: { validate_part_number: validatePartNumber },
};
