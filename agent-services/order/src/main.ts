import { runAgentEntry } from "@switchyard/agent-kit";
import { orderAgentDefinition } from "./definition.js";

await runAgentEntry(orderAgentDefinition);
