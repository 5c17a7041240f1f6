import { runAgentEntry } from "@switchyard/agent-kit";
import { repairOrdersAgentDefinition } from "./definition.js";

await runAgentEntry(repairOrdersAgentDefinition);
