import { fileURLToPath } from "node:url";

/** Root of the checkout, for spawning entry files from tests and scripts. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));
