/** Resolves built, content-hashed asset names (island bundle) from static/build/manifest.json. */
const manifestUrl = new URL("../../static/build/manifest.json", import.meta.url);

interface Manifest {
  islands: string;
}

let cached: Manifest | undefined;

/** URL path of the island bundle; throws with a hint when `deno task build` has not run. */
export function islandBundlePath(): string {
  if (!cached) {
    try {
      cached = JSON.parse(Deno.readTextFileSync(manifestUrl)) as Manifest;
    } catch {
      throw new Error("static/build/manifest.json is missing: run `deno task build` (start and test do it).");
    }
  }
  return `/static/build/${cached.islands}`;
}
