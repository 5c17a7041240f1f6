export { paymentAgentDefinition } from "./definition.js";
