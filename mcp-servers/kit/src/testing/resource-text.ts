/** The text of a resource's first content item; fails the test when it has none (e.g. a blob). */
export function resourceText(contents: readonly ({ text: string } | { blob: string })[]): string {
  const first = contents[0];
  if (!first || !("text" in first)) throw new Error("resource has no text content");
  return first.text;
}
