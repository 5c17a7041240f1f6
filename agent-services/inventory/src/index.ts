export { inventoryAgentDefinition } from "./definition.js";
