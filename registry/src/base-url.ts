/**
 * Parses an instance base URL and returns it in one canonical form (no trailing slash,
 * no query or fragment), so that `http://h:1/` and `http://h:1` are the same instance.
 * Returns `undefined` for anything that is not an absolute http(s) URL.
 */
export function normalizeBaseUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  return url.href.replace(/\/+$/, "");
}

/** Joins a canonical base URL and a path such as `/execute`. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl}${path.startsWith("/") ? path : `/${path}`}`;
}
