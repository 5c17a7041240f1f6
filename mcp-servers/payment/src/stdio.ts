import { runStdioEntry } from "@switchyard/mcp-kit";
import { paymentServerDefinition } from "./definition.js";

await runStdioEntry(paymentServerDefinition);
