import { runAgentEntry } from "@switchyard/agent-kit";
import { paymentAgentDefinition } from "./definition.js";

await runAgentEntry(paymentAgentDefinition);
