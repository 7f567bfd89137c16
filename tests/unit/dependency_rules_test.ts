/**
 * Dependency rules between the top-level folders, checked on every .ts/.tsx file's direct imports (static
 * `import … from`, `import "…"`, `export … from` and `import("…")`, type-only ones included):
 *
 *   lib/        must not import routes/, components/, islands/ or local/
 *   components/ must not import routes/
 *   islands/    must not import routes/ or local/
 *   routes/, functions/ must not import local/
 *   only tests/ may import the test-only packages (TEST_ONLY_PACKAGES: third-party Zarinpal clients)
 *
 * local/ holds the stand-ins for hosted services: nothing that ships may depend on it. Relative specifiers
 * are resolved against the importing file, and import-map entries that point into the repository (such as
 * `@std/assert`) are resolved through deno.json. Runs in `deno task test` and `deno task check` (check:deps).
 */
import { assertEquals } from "@std/assert";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

const ROOT = resolve(dirname(fromFileUrl(import.meta.url)), "../..");
const SKIPPED_DIRS = new Set([".git", ".local", "node_modules", "static/build", "tests/.artifacts"]);

/** Folder → folders it must not import. */
const RULES: Record<string, string[]> = {
  "lib/": ["routes/", "components/", "islands/", "local/"],
  "components/": ["routes/"],
  "islands/": ["routes/", "local/"],
  "routes/": ["local/"],
  "functions/": ["local/"],
};

/** npm packages only tests may use: third-party Zarinpal clients that measure the sandbox's fidelity. */
const TEST_ONLY_PACKAGES = ["zarinpal-node-sdk", "zarinpal-checkout", "zarinpal-pay"];

/** The test-only package a specifier names (bare, through the import map, or `npm:…@version/sub`), if any. */
export function testOnlyPackage(specifier: string): string | undefined {
  const name = specifier.replace(/^npm:\/?/, "").match(/^(@[^/]+\/)?[^/@]+/)?.[0];
  return TEST_ONLY_PACKAGES.find((p) => p === name);
}

/**
 * The module specifiers a TypeScript source imports. A small scanner first blanks out comments and replaces
 * every string and template literal with a placeholder (so an `import` inside a string or comment is not
 * one, and a `//` inside a string is not a comment), then the import forms are matched on what is left.
 */
export function importSpecifiers(source: string): string[] {
  const strings: string[] = [];
  let code = "";
  let i = 0;
  // Template literal nesting: each `${` pushes the brace depth it must return to.
  const templateStack: number[] = [];
  let braceDepth = 0;
  let lastSignificant = "";
  const placeholder = (text: string) => {
    strings.push(text);
    return `"\0${strings.length - 1}\0"`;
  };
  const readTemplate = (): string => {
    // At the character after a backtick or after the `}` closing a substitution. Returns the raw text up to
    // the closing backtick, or up to `${` (then pushes the nesting and returns with a marker).
    let text = "";
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i++;
        return text;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        templateStack.push(braceDepth);
        braceDepth++;
        return text + "\0${";
      } else {
        text += c;
        i++;
      }
    }
    return text;
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? source.length : end + 2;
      code += " ";
    } else if (c === '"' || c === "'") {
      let text = "";
      i++;
      while (i < source.length && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") {
          text += source[i + 1];
          i += 2;
        } else text += source[i++];
      }
      i++;
      code += placeholder(text);
      lastSignificant = '"';
    } else if (c === "`") {
      i++;
      const text = readTemplate();
      // Only a template without substitutions can be a module specifier; others become an opaque value.
      code += text.endsWith("\0${") ? "(" : placeholder(text);
      if (text.endsWith("\0${")) lastSignificant = "(";
      else lastSignificant = '"';
    } else if (c === "{") {
      braceDepth++;
      code += c;
      lastSignificant = c;
      i++;
    } else if (c === "}") {
      braceDepth--;
      i++;
      if (templateStack.length && templateStack.at(-1) === braceDepth) {
        templateStack.pop();
        const text = readTemplate();
        code += text.endsWith("\0${") ? "," : ")";
        lastSignificant = text.endsWith("\0${") ? "," : ")";
      } else {
        code += c;
        lastSignificant = c;
      }
    } else if (c === "/" && (lastSignificant === "" || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant))) {
      // A regular expression literal: skip it (it may hold quotes or slashes).
      i++;
      let inClass = false;
      while (i < source.length && source[i] !== "\n") {
        const r = source[i];
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      while (/[a-z]/i.test(source[i] ?? "")) i++;
      code += "/re/";
      lastSignificant = ")";
    } else {
      code += c;
      if (!/\s/.test(c)) {
        // Keywords after which a `/` starts a regular expression rather than a division.
        const word = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await)$/.test(
          code.slice(-7),
        );
        lastSignificant = word ? "(" : c;
      }
      i++;
    }
  }
  const str = String.raw`"\0(\d+)\0"`;
  const patterns = [
    // import x from "…", import type { x } from "…", export { x } from "…", export * as x from "…"
    new RegExp(String.raw`(?<![\w$.])(?:import|export)\b[^;"]*?\bfrom\s*${str}`, "g"),
    // import "…"
    new RegExp(String.raw`(?<![\w$.])import\s*${str}`, "g"),
    // import("…"), import type X = import("…"), typeof import("…")
    new RegExp(String.raw`(?<![\w$.])import\s*\(\s*${str}`, "g"),
  ];
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push(strings[Number(match[1])]);
  }
  return found;
}

function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path);
    if (entry.isDirectory && !SKIPPED_DIRS.has(rel)) files.push(...sourceFiles(path));
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) files.push(rel);
  }
  return files.sort();
}

function localImportMap(): Record<string, string> {
  const { imports = {} } = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  return Object.fromEntries(
    Object.entries(imports as Record<string, string>).filter(([, target]) => target.startsWith(".")),
  );
}

/** The repository-relative path a specifier names, or undefined for packages and URLs outside the repo. */
export function resolveSpecifier(
  file: string,
  specifier: string,
  importMap: Record<string, string> = {},
): string | undefined {
  let path: string | undefined;
  if (specifier.startsWith("./") || specifier.startsWith("../")) path = join(dirname(file), specifier);
  else if (specifier.startsWith("file://")) path = relative(ROOT, fromFileUrl(specifier));
  else if (specifier.startsWith("/")) path = relative(ROOT, specifier);
  else {
    const key = Object.keys(importMap).filter((k) =>
      specifier === k || (k.endsWith("/") && specifier.startsWith(k))
    )
      .sort((a, b) => b.length - a.length)[0];
    if (key) path = join(importMap[key], specifier.slice(key.length));
  }
  if (path === undefined) return undefined;
  path = normalize(path);
  return path.startsWith("..") ? undefined : path;
}

/** Every `file → imported file` pair that breaks a rule, for the given files (repository-relative). */
export function findViolations(files: string[], read: (file: string) => string): string[] {
  const importMap = localImportMap();
  const violations: string[] = [];
  for (const file of files) {
    const banned = Object.entries(RULES).find(([folder]) => file.startsWith(folder))?.[1];
    if (!banned) continue;
    for (const specifier of importSpecifiers(read(file))) {
      const target = resolveSpecifier(file, specifier, importMap);
      if (target && banned.some((folder) => target.startsWith(folder))) {
        violations.push(`${file} → ${target}`);
      }
    }
  }
  return [...new Set(violations)].sort();
}

Deno.test("[dependency rules] import scanner — every import form, nothing from comments or strings", () => {
  const source = [
    `import a from "./a.ts";`,
    `import type { B } from '../b.ts';`,
    `import {\n  c,\n  d, // "./not-this.ts"\n} from "./cd.ts";`,
    `import "./side-effect.ts";`,
    `export { e } from "./e.ts";`,
    `export * as f from "./f.ts";`,
    `export type { G } from "./g.ts";`,
    "const h = await import(`./h.ts`);",
    `const i = await import("./i.ts");`,
    `type J = typeof import("./j.ts");`,
    `// import k from "./k.ts";`,
    `/* import l from "./l.ts"; */`,
    `const m = "import n from './n.ts'";`,
    "const o = `${x} import p from './p.ts'`;",
    `const q = /from "\\.\\/q.ts"/g; const url = "https://example.com"; // and a comment`,
    `export const r = 1; const s = x.import("./s.ts");`,
    'const t = `a${`b${c}`}` + import("./t.ts");',
  ].join("\n");
  assertEquals(importSpecifiers(source).sort(), [
    "../b.ts",
    "./a.ts",
    "./cd.ts",
    "./e.ts",
    "./f.ts",
    "./g.ts",
    "./h.ts",
    "./i.ts",
    "./j.ts",
    "./side-effect.ts",
    "./t.ts",
  ]);
});

Deno.test("[dependency rules] resolution — relative to the importing file, import map into the repo", () => {
  assertEquals(
    resolveSpecifier("lib/http/render.tsx", "../../components/Layout.tsx"),
    "components/Layout.tsx",
  );
  assertEquals(resolveSpecifier("lib/a.ts", "./b/../c.ts"), "lib/c.ts");
  assertEquals(resolveSpecifier("lib/a.ts", "hono"), undefined);
  assertEquals(resolveSpecifier("lib/a.ts", "npm:zod@4"), undefined);
  assertEquals(resolveSpecifier("lib/a.ts", "node:fs"), undefined);
  assertEquals(resolveSpecifier("lib/a.ts", "@local/x.ts", { "@local/": "./local/" }), "local/x.ts");
  const read = (file: string) =>
    ({
      "lib/x.ts": `import { y } from "../routes/y.ts"; import "./ok.ts";`,
      "components/c.tsx": `export * from "../routes/r.ts"; import "../lib/ok.ts";`,
      "islands/i.tsx": `const s = await import("../local/s.ts");`,
      "routes/r.ts": `import type { S } from "../local/s.ts"; import { C } from "../components/c.tsx";`,
      "functions/f/index.ts": `import { s } from "../../local/s.ts";`,
      "local/s.ts": `import { y } from "../routes/y.ts";`,
    })[file]!;
  assertEquals(
    findViolations(
      ["lib/x.ts", "components/c.tsx", "islands/i.tsx", "routes/r.ts", "functions/f/index.ts"],
      read,
    ),
    [
      "components/c.tsx → routes/r.ts",
      "functions/f/index.ts → local/s.ts",
      "islands/i.tsx → local/s.ts",
      "lib/x.ts → routes/y.ts",
      "routes/r.ts → local/s.ts",
    ],
  );
});

Deno.test("[dependency rules] the repository — no file imports across the rules", () => {
  const found = findViolations(sourceFiles(), (file) => Deno.readTextFileSync(join(ROOT, file)));
  assertEquals(found, [], `\n${found.join("\n")}\n(rules at the top of tests/unit/dependency_rules_test.ts)`);
});

Deno.test("[dependency rules] test-only packages — third-party Zarinpal clients are imported by tests/ only", () => {
  assertEquals(testOnlyPackage("zarinpal-pay"), "zarinpal-pay");
  assertEquals(testOnlyPackage("npm:zarinpal-checkout@1.1.1"), "zarinpal-checkout");
  assertEquals(testOnlyPackage("npm:/zarinpal-node-sdk@2.2.0/dist/index.js"), "zarinpal-node-sdk");
  assertEquals(testOnlyPackage("zarinpal-payments"), undefined);
  assertEquals(testOnlyPackage("./zarinpal.ts"), undefined);
  const found = sourceFiles().filter((file) => !file.startsWith("tests/")).flatMap((file) =>
    importSpecifiers(Deno.readTextFileSync(join(ROOT, file)))
      .filter((specifier) => testOnlyPackage(specifier))
      .map((specifier) => `${file} → ${specifier}`)
  );
  assertEquals(
    found,
    [],
    `\n${found.join("\n")}\n(TEST_ONLY_PACKAGES in tests/unit/dependency_rules_test.ts)`,
  );
});
