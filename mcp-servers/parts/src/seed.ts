import { count } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema.js";

/** The catalogue a fresh database starts with; part `1234` makes the seed's automotive request work. */
export const seedParts = [
  {
    partNumber: "1234",
    name: "Brake Pad Set",
    description: "Front semi-metallic brake pad set with wear sensors",
    category: "brakes",
    brand: "Stopwell",
    priceCents: 8_999,
    available: 24,
  },
  {
    partNumber: "BP-4471",
    name: "Ceramic Brake Pad Set",
    description: "Front ceramic brake pad set, low dust and low noise",
    category: "brakes",
    brand: "Quietstop",
    priceCents: 7_499,
    available: 12,
  },
  {
    partNumber: "BP-4480",
    name: "Performance Brake Pad Set",
    description: "Front high-friction performance brake pad set",
    category: "brakes",
    brand: "Stopwell",
    priceCents: 12_999,
    available: 0,
  },
  {
    partNumber: "BR-2210",
    name: "Front Brake Rotor",
    description: "Vented front brake rotor, sold individually",
    category: "brakes",
    brand: "Stopwell",
    priceCents: 6_450,
    available: 16,
  },
  {
    partNumber: "OF-1010",
    name: "Oil Filter",
    description: "Spin-on engine oil filter",
    category: "filters",
    brand: "Puraflow",
    priceCents: 899,
    available: 120,
  },
  {
    partNumber: "AF-3320",
    name: "Engine Air Filter",
    description: "Panel engine air filter",
    category: "filters",
    brand: "Puraflow",
    priceCents: 1_899,
    available: 45,
  },
  {
    partNumber: "CF-5510",
    name: "Cabin Air Filter",
    description: "Activated-carbon cabin air filter",
    category: "filters",
    brand: "Puraflow",
    priceCents: 1_599,
    available: 40,
  },
  {
    partNumber: "SP-0990",
    name: "Iridium Spark Plug",
    description: "Long-life iridium spark plug, sold individually",
    category: "ignition",
    brand: "Sparkline",
    priceCents: 1_099,
    available: 80,
  },
  {
    partNumber: "BT-H6-760",
    name: "AGM Battery H6",
    description: "Group H6 AGM battery, 760 cold-cranking amps",
    category: "electrical",
    brand: "Voltmax",
    priceCents: 18_999,
    available: 8,
  },
  {
    partNumber: "WB-2616",
    name: "Wiper Blade Pair 26/16",
    description: "Beam wiper blades, 26-inch driver and 16-inch passenger",
    category: "wipers",
    brand: "Clearview",
    priceCents: 3_299,
    available: 30,
  },
] as const;

const seedCompatibility = [
  { partNumber: "1234", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "1234", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2023 },
  { partNumber: "BP-4471", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "BP-4471", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2022 },
  { partNumber: "BP-4480", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "BR-2210", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "BR-2210", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2023 },
  { partNumber: "OF-1010", make: "Toyota", model: "Camry", yearFrom: 2012, yearTo: 2024 },
  { partNumber: "OF-1010", make: "Toyota", model: "Corolla", yearFrom: 2014, yearTo: 2024 },
  { partNumber: "OF-1010", make: "Honda", model: "Accord", yearFrom: 2013, yearTo: 2023 },
  { partNumber: "AF-3320", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "CF-5510", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "CF-5510", make: "Toyota", model: "Corolla", yearFrom: 2019, yearTo: 2024 },
  { partNumber: "SP-0990", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "SP-0990", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2022 },
  { partNumber: "SP-0990", make: "Honda", model: "Civic", yearFrom: 2016, yearTo: 2021 },
  { partNumber: "BT-H6-760", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "BT-H6-760", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2023 },
  { partNumber: "WB-2616", make: "Toyota", model: "Camry", yearFrom: 2018, yearTo: 2024 },
  { partNumber: "WB-2616", make: "Honda", model: "Accord", yearFrom: 2018, yearTo: 2023 },
];

const seedAlternatives = [
  { partNumber: "1234", alternativePartNumber: "BP-4471", note: "Ceramic compound: quieter and less dust, slightly shorter life" },
  { partNumber: "1234", alternativePartNumber: "BP-4480", note: "Performance compound: stronger bite, more dust and noise" },
  { partNumber: "BP-4471", alternativePartNumber: "1234", note: "Semi-metallic compound: longer life, more dust" },
  { partNumber: "BP-4480", alternativePartNumber: "1234", note: "Standard compound for everyday driving" },
];

/** Fills an empty catalogue; a database that already has parts is left alone. */
export function seedPartsCatalogue(db: BetterSQLite3Database<typeof schema>): void {
  db.transaction(
    (tx) => {
      const existing = tx.select({ n: count() }).from(schema.parts).get();
      if ((existing?.n ?? 0) > 0) return;
      const now = new Date();
      tx.insert(schema.parts)
        .values(seedParts.map((part) => ({ ...part, updatedAt: now })))
        .run();
      tx.insert(schema.partCompatibility).values(seedCompatibility).run();
      tx.insert(schema.partAlternatives).values(seedAlternatives).run();
    },
    { behavior: "immediate" },
  );
}
