import { runAgentEntry } from "@switchyard/agent-kit";
import { inventoryAgentDefinition } from "./definition.js";

await runAgentEntry(inventoryAgentDefinition);
