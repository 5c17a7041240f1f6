/**
 * A step's `validation_checks` that follow `result.<path> <op> <JSON literal>` are enforced on
 * its result (e.g. `result.sufficient == true`); other text is kept as a note for people.
 */
const CHECK = /^\s*result((?:\.[A-Za-z0-9_]+)*)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$/;

export interface CheckOutcome {
  check: string;
  enforced: boolean;
  passed: boolean;
  actual?: unknown;
}

export function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (typeof current === "object") current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

export function runValidationCheck(check: string, result: unknown): CheckOutcome {
  const match = CHECK.exec(check);
  if (!match) return { check, enforced: false, passed: true };
  let expected: unknown;
  try {
    expected = JSON.parse(match[3]!);
  } catch {
    return { check, enforced: false, passed: true };
  }
  const actual = valueAt(result, match[1]!.split(".").filter(Boolean));
  const op = match[2]!;
  let passed: boolean;
  switch (op) {
    case "==":
      passed = JSON.stringify(actual) === JSON.stringify(expected);
      break;
    case "!=":
      passed = JSON.stringify(actual) !== JSON.stringify(expected);
      break;
    default: {
      if (typeof actual !== "number" || typeof expected !== "number") {
        passed = false;
        break;
      }
      passed = op === ">=" ? actual >= expected : op === "<=" ? actual <= expected : op === ">" ? actual > expected : actual < expected;
    }
  }
  return { check, enforced: true, passed, actual };
}
