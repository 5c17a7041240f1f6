import { and, asc, eq, exists, gt, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { DomainError } from "@switchyard/mcp-kit";
import { partAlternatives, partCompatibility, parts } from "./schema.js";
import type { PartsDb } from "./database.js";

export interface PartView {
  part_number: string;
  name: string;
  description: string;
  category: string;
  brand: string;
  price: number;
  currency: "USD";
  available: number;
  reserved: number;
  in_stock: boolean;
}

export interface FitmentView {
  make: string;
  model: string;
  year_from: number;
  year_to: number;
}

export interface AlternativeView extends PartView {
  note: string;
}

export interface VehicleQuery {
  make: string;
  model: string;
  year: number;
}

export interface SearchFilters {
  query?: string | undefined;
  category?: string | undefined;
  make?: string | undefined;
  model?: string | undefined;
  year?: number | undefined;
  in_stock_only?: boolean | undefined;
  limit?: number | undefined;
}

type PartRow = typeof parts.$inferSelect;

/** How many part numbers an "unknown part" message lists before it stops. */
const KNOWN_PARTS_SHOWN = 20;
const DEFAULT_SEARCH_LIMIT = 20;

export function partView(row: PartRow): PartView {
  return {
    part_number: row.partNumber,
    name: row.name,
    description: row.description,
    category: row.category,
    brand: row.brand,
    price: row.priceCents / 100,
    currency: "USD",
    available: row.available,
    reserved: row.reserved,
    in_stock: row.available > 0,
  };
}

function knownPartNumbers(db: PartsDb): string {
  const rows = db
    .select({ partNumber: parts.partNumber })
    .from(parts)
    .orderBy(asc(parts.partNumber))
    .limit(KNOWN_PARTS_SHOWN + 1)
    .all()
    .map((row) => row.partNumber);
  const shown = rows.slice(0, KNOWN_PARTS_SHOWN).join(", ");
  return rows.length > KNOWN_PARTS_SHOWN ? `${shown}, …` : shown;
}

/** Loads one part or fails with a message that lists known part numbers. */
export function requirePart(db: PartsDb, partNumber: string): PartRow {
  const row = db.select().from(parts).where(eq(parts.partNumber, partNumber)).get();
  if (!row) {
    throw new DomainError(
      "UNKNOWN_PART",
      `Unknown part number "${partNumber}". Use search_parts to find a part; known part numbers include: ${knownPartNumbers(db)}.`,
      { part_number: partNumber },
    );
  }
  return row;
}

/** Loads several parts at once and fails naming every unknown one. */
export function requireParts(db: PartsDb, partNumbers: readonly string[]): Map<string, PartRow> {
  const rows = db.select().from(parts).where(inArray(parts.partNumber, [...partNumbers])).all();
  const found = new Map(rows.map((row) => [row.partNumber, row]));
  const unknown = partNumbers.filter((partNumber) => !found.has(partNumber));
  if (unknown.length > 0) {
    throw new DomainError(
      "UNKNOWN_PART",
      `Unknown part number${unknown.length > 1 ? "s" : ""} ${unknown.map((p) => `"${p}"`).join(", ")}. Use search_parts to find a part; known part numbers include: ${knownPartNumbers(db)}.`,
      { unknown_part_numbers: unknown },
    );
  }
  return found;
}

function normalise(text: string): string {
  return text.trim().toLowerCase();
}

function fitmentConditions(vehicle: { make?: string | undefined; model?: string | undefined; year?: number | undefined }): SQL[] {
  const conditions: SQL[] = [];
  if (vehicle.make !== undefined) conditions.push(sql`lower(${partCompatibility.make}) = ${normalise(vehicle.make)}`);
  if (vehicle.model !== undefined) conditions.push(sql`lower(${partCompatibility.model}) = ${normalise(vehicle.model)}`);
  if (vehicle.year !== undefined) {
    conditions.push(lte(partCompatibility.yearFrom, vehicle.year), gte(partCompatibility.yearTo, vehicle.year));
  }
  return conditions;
}

function fitments(db: PartsDb, partNumber: string): FitmentView[] {
  return db
    .select()
    .from(partCompatibility)
    .where(eq(partCompatibility.partNumber, partNumber))
    .orderBy(asc(partCompatibility.make), asc(partCompatibility.model), asc(partCompatibility.yearFrom))
    .all()
    .map((row) => ({ make: row.make, model: row.model, year_from: row.yearFrom, year_to: row.yearTo }));
}

function categories(db: PartsDb): string[] {
  return db
    .selectDistinct({ category: parts.category })
    .from(parts)
    .orderBy(asc(parts.category))
    .all()
    .map((row) => row.category);
}

export function listParts(db: PartsDb): PartView[] {
  return db.select().from(parts).orderBy(asc(parts.partNumber)).all().map(partView);
}

export function searchParts(db: PartsDb, filters: SearchFilters): PartView[] {
  const conditions: SQL[] = [];
  if (filters.query !== undefined && filters.query.trim() !== "") {
    // instr() rather than LIKE, so that % and _ in a query are plain characters.
    const needle = normalise(filters.query);
    const matches = [parts.partNumber, parts.name, parts.description, parts.brand, parts.category].map(
      (column) => sql`instr(lower(${column}), ${needle}) > 0`,
    );
    conditions.push(sql`(${sql.join(matches, sql` OR `)})`);
  }
  if (filters.category !== undefined) {
    const category = normalise(filters.category);
    const known = categories(db);
    if (!known.includes(category)) {
      throw new DomainError(
        "UNKNOWN_CATEGORY",
        `Unknown category "${filters.category}". Known categories: ${known.join(", ")}.`,
        { category: filters.category, known_categories: known },
      );
    }
    conditions.push(eq(parts.category, category));
  }
  const vehicle = fitmentConditions(filters);
  if (vehicle.length > 0) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(partCompatibility)
          .where(and(eq(partCompatibility.partNumber, parts.partNumber), ...vehicle)),
      ),
    );
  }
  if (filters.in_stock_only === true) conditions.push(gt(parts.available, 0));
  return db
    .select()
    .from(parts)
    .where(and(...conditions))
    .orderBy(asc(parts.category), asc(parts.partNumber))
    .limit(filters.limit ?? DEFAULT_SEARCH_LIMIT)
    .all()
    .map(partView);
}

export function getAlternativeParts(db: PartsDb, partNumber: string): AlternativeView[] {
  requirePart(db, partNumber);
  return db
    .select({ part: parts, note: partAlternatives.note })
    .from(partAlternatives)
    .innerJoin(parts, eq(parts.partNumber, partAlternatives.alternativePartNumber))
    .where(eq(partAlternatives.partNumber, partNumber))
    .orderBy(asc(parts.partNumber))
    .all()
    .map((row) => ({ ...partView(row.part), note: row.note }));
}

export function checkPartAvailability(db: PartsDb, partNumber: string, quantity: number) {
  const part = requirePart(db, partNumber);
  const sufficient = part.available >= quantity;
  return {
    part_number: part.partNumber,
    name: part.name,
    requested: quantity,
    available: part.available,
    reserved: part.reserved,
    sufficient,
    unit_price: part.priceCents / 100,
    // Only worth the model's attention when this part cannot cover the request.
    alternatives_in_stock: sufficient
      ? []
      : getAlternativeParts(db, partNumber)
          .filter((alternative) => alternative.available >= quantity)
          .map((alternative) => ({ part_number: alternative.part_number, name: alternative.name, available: alternative.available, price: alternative.price })),
  };
}

export function getPartDetails(db: PartsDb, partNumber: string) {
  const part = requirePart(db, partNumber);
  return { ...partView(part), compatibility: fitments(db, partNumber), alternatives: getAlternativeParts(db, partNumber) };
}

function matchingFitment(db: PartsDb, partNumber: string, vehicle: VehicleQuery): FitmentView | null {
  const row = db
    .select()
    .from(partCompatibility)
    .where(and(eq(partCompatibility.partNumber, partNumber), ...fitmentConditions(vehicle)))
    .get();
  return row ? { make: row.make, model: row.model, year_from: row.yearFrom, year_to: row.yearTo } : null;
}

export function checkVehicleCompatibility(db: PartsDb, partNumber: string, vehicle: VehicleQuery) {
  const part = requirePart(db, partNumber);
  const fitment = matchingFitment(db, partNumber, vehicle);
  const vehicleLabel = `${vehicle.year} ${vehicle.make.trim()} ${vehicle.model.trim()}`;
  const compatibleAlternatives = getAlternativeParts(db, partNumber)
    .filter((alternative) => matchingFitment(db, alternative.part_number, vehicle) !== null)
    .map((alternative) => ({ part_number: alternative.part_number, name: alternative.name, available: alternative.available, price: alternative.price }));
  return {
    part_number: part.partNumber,
    name: part.name,
    vehicle: { make: vehicle.make.trim(), model: vehicle.model.trim(), year: vehicle.year },
    compatible: fitment !== null,
    fitment,
    known_fitments: fitments(db, partNumber),
    compatible_alternatives: compatibleAlternatives,
    summary: fitment
      ? `${part.name} (${part.partNumber}) fits a ${vehicleLabel} (listed for ${fitment.make} ${fitment.model} ${fitment.year_from}-${fitment.year_to}).`
      : `${part.name} (${part.partNumber}) is not listed for a ${vehicleLabel}.${compatibleAlternatives.length > 0 ? ` Alternatives that fit: ${compatibleAlternatives.map((a) => a.part_number).join(", ")}.` : ""}`,
  };
}
