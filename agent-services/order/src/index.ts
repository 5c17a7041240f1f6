export { orderAgentDefinition } from "./definition.js";
