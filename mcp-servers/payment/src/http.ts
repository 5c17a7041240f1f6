import { runHttpEntry } from "@switchyard/mcp-kit";
import { paymentServerDefinition } from "./definition.js";

await runHttpEntry(paymentServerDefinition);
