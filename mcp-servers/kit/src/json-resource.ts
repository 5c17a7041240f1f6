/** A resource read result holding `value` as pretty-printed JSON. */
export function jsonResource(uri: URL, value: unknown) {
  return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] };
}
