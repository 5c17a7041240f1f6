import { runAgentEntry } from "@switchyard/agent-kit";
import { partsAgentDefinition } from "./definition.js";

await runAgentEntry(partsAgentDefinition);
