/** Builds browser assets into static/build/: the island bundle (content-hashed) and the Vazirmatn fonts. */

const root = new URL("..", import.meta.url).pathname;
const out = `${root}static/build`;
const FONT_PACKAGE = "npm:@fontsource/vazirmatn@5.3.0";
const FONTS = ["arabic-400", "arabic-700", "latin-400", "latin-700"].map((w) =>
  `vazirmatn-${w}-normal.woff2`
);

async function deno(args: string[]): Promise<string> {
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success) throw new Error(`deno ${args[0]} failed:\n${new TextDecoder().decode(result.stderr)}`);
  return text;
}

async function sha256Prefix(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The browser bundle's configuration: the project's deno.json with `"jsx": "react-jsx"`. The server renders
 * with `"jsx": "precompile"` (static markup compiled to strings, which only preact-render-to-string reads);
 * in the browser the islands need Preact's ordinary JSX runtime to hydrate. Written next to deno.json (its
 * import map's relative paths resolve from there) and removed after the bundle.
 */
async function withBrowserConfig<T>(fn: (path: string) => Promise<T>): Promise<T> {
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  config.compilerOptions = { ...config.compilerOptions, jsx: "react-jsx" };
  const path = `${root}.islands-build.${crypto.randomUUID()}.json`;
  await Deno.writeTextFile(path, JSON.stringify(config));
  try {
    return await fn(path);
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

async function buildIslands(): Promise<string> {
  const tmp = `${out}/islands.tmp.js`;
  await withBrowserConfig((config) =>
    deno([
      "bundle",
      "--config",
      config,
      "--lock=deno.lock",
      "--platform",
      "browser",
      "--minify",
      "-o",
      tmp,
      "islands/_entry.ts",
    ])
  );
  const bytes = await Deno.readFile(tmp);
  const name = `islands.${await sha256Prefix(bytes)}.js`;
  await Deno.rename(tmp, `${out}/${name}`);
  return name;
}

/** Fonts come from the npm package in Deno's cache, so nothing is fetched from a CDN at run time. */
async function copyFonts(): Promise<void> {
  await deno(["cache", FONT_PACKAGE]);
  const info = JSON.parse(await deno(["info", "--json"])) as { npmCache: string };
  const pkg = `${info.npmCache}/registry.npmjs.org/@fontsource/vazirmatn/5.3.0/files`;
  await Deno.mkdir(`${out}/fonts`, { recursive: true });
  for (const font of FONTS) await Deno.copyFile(`${pkg}/${font}`, `${out}/fonts/${font}`);
}

export async function build(): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  for (const entry of Deno.readDirSync(out)) {
    if (entry.name.startsWith("islands.")) await Deno.remove(`${out}/${entry.name}`);
  }
  const [islands] = await Promise.all([buildIslands(), copyFonts()]);
  await Deno.writeTextFile(`${out}/manifest.json`, JSON.stringify({ islands }, null, 2));
}

if (import.meta.main) {
  const started = performance.now();
  await build();
  console.log(`built static/build in ${Math.round(performance.now() - started)} ms`);
}
