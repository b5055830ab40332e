/** Subgraph name → URL, from a supergraph's `@join__graph(name: …, url: …)` lines. */
export function supergraphUrls(sdl: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const match of sdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g)) urls.set(match[1]!, match[2]!);
  return urls;
}

/** The same supergraph with other subgraph URLs (only the `@join__graph` URLs change). */
export function withSubgraphUrls(sdl: string, urls: ReadonlyMap<string, string>): string {
  return sdl.replace(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g, (whole, name: string) => {
    const url = urls.get(name);
    return url === undefined ? whole : `@join__graph(name: "${name}", url: "${url}")`;
  });
}
