import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resourceText, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { partsServerDefinition, type PartsDatabase } from "../src/index.js";

let server: InMemoryServer<PartsDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(partsServerDefinition);
});

afterEach(async () => {
  await server.close();
});

describe("parts resources", () => {
  it("lists the catalogue and one resource per part, and the part template", async () => {
    const { resources } = await server.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain("parts://parts");
    expect(uris).toContain("parts://parts/1234");
    expect(uris).toContain("parts://parts/BT-H6-760");
    const { resourceTemplates } = await server.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain("parts://parts/{part_number}");
  });

  it("reads the catalogue as JSON", async () => {
    const { contents } = await server.client.readResource({ uri: "parts://parts" });
    expect(contents[0]?.mimeType).toBe("application/json");
    const catalogue = JSON.parse(resourceText(contents)) as { part_number: string; available: number }[];
    expect(catalogue).toHaveLength(10);
    expect(catalogue.find((part) => part.part_number === "1234")).toMatchObject({ name: "Brake Pad Set", available: 24 });
  });

  it("reads one part with its fitments and alternatives", async () => {
    const { contents } = await server.client.readResource({ uri: "parts://parts/1234" });
    const part = JSON.parse(resourceText(contents));
    expect(part).toMatchObject({ part_number: "1234", price: 89.99 });
    expect(part.compatibility).toHaveLength(2);
    expect(part.alternatives).toHaveLength(2);
  });

  it("fails to read an unknown part", async () => {
    await expect(server.client.readResource({ uri: "parts://parts/ZZ-0000" })).rejects.toThrow(/Unknown part number "ZZ-0000"/);
  });
});

describe("parts prompt", () => {
  it("lists find-part-for-vehicle with its arguments", async () => {
    const { prompts } = await server.client.listPrompts();
    const prompt = prompts.find((candidate) => candidate.name === "find-part-for-vehicle");
    expect(prompt?.arguments?.map((argument) => argument.name)).toEqual(["part", "make", "model", "year", "repair_order_id"]);
    expect(prompt?.arguments?.filter((argument) => argument.required).map((argument) => argument.name)).toEqual(["part", "make", "model", "year"]);
  });

  it("asks to search, check fitment and stock, and reserve for the given repair order", async () => {
    const { messages } = await server.client.getPrompt({
      name: "find-part-for-vehicle",
      arguments: { part: "front brake pads", make: "Toyota", model: "Camry", year: "2020", repair_order_id: "1234" },
    });
    expect(messages).toHaveLength(1);
    const content = messages[0]?.content;
    expect(content?.type).toBe("text");
    const text = content?.type === "text" ? content.text : "";
    expect(text).toContain("front brake pads for a 2020 Toyota Camry");
    for (const tool of ["search_parts", "check_vehicle_compatibility", "check_part_availability", "get_alternative_parts", "reserve_parts"]) {
      expect(text).toContain(tool);
    }
    expect(text).toContain("repair order 1234");
  });

  it("does not ask to reserve anything without a repair order", async () => {
    const { messages } = await server.client.getPrompt({
      name: "find-part-for-vehicle",
      arguments: { part: "oil filter", make: "Honda", model: "Accord", year: "2019" },
    });
    const content = messages[0]?.content;
    const text = content?.type === "text" ? content.text : "";
    expect(text).toContain("do not reserve anything");
    expect(text).not.toContain("reserve it with reserve_parts");
  });
});
