import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/task-schema.ts",
  out: "./drizzle",
});
