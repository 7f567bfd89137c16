/**
 * Request bodies as the real gateway (PHP/Laravel) reads them: JSON, or a form (urlencoded or multipart) whose
 * bracketed keys nest like PHP's (`metadata[mobile]=…` → `{metadata: {mobile: "…"}}`, `a[]=x` → `{a: ["x"]}`).
 * Whatever cannot be read comes back as undefined, which the endpoints refuse with -9.
 */
import type { Context } from "hono";

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export async function readBody(c: Context): Promise<unknown> {
  if (FORM.test(c.req.header("content-type") ?? "")) {
    const form = await c.req.formData().catch(() => undefined);
    if (!form) return undefined;
    const entries: [string, string][] = [];
    form.forEach((value, key) => entries.push([key, typeof value === "string" ? value : value.name]));
    return phpNested(entries);
  }
  const text = await c.req.text().catch(() => "");
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Nested = Record<string, unknown> | unknown[];

/** PHP's parse_str nesting: `a[b][c]=1` sets a.b.c; `a[]=1` appends to the list a. */
export function phpNested(entries: [string, string][]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) {
      root[key] = value;
      continue;
    }
    const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
    let node: Nested = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string, unknown>;
      const slot = part === "" && Array.isArray(node) ? node.length : part;
      if (last) {
        if (Array.isArray(node) && part === "") node.push(value);
        else container[slot] = value;
        return;
      }
      const wantsList = path[i + 1] === "";
      const existing = container[slot];
      const child: Nested = existing && typeof existing === "object"
        ? existing as Nested
        : wantsList
        ? []
        : {};
      if (Array.isArray(node) && part === "") node.push(child);
      else container[slot] = child;
      node = child;
    });
  }
  return listsAsArrays(root) as Record<string, unknown>;
}

/** A PHP array keyed 0, 1, 2… is a list (json_encode writes it as one), so it becomes a JS array. */
function listsAsArrays(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(listsAsArrays);
  const entries = Object.entries(value).map(([k, v]) => [k, listsAsArrays(v)] as const);
  const sequential = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return sequential ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
