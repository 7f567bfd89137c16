/** Test helper (not a test): a local stack, signed-in API callers with Bearer tokens, and JSON requests. */
import { sql } from "kysely";
import type { Stack } from "../../local/stack.ts";
import { db } from "../_support/db.ts";
import { Client, createAccount, signIn, startAuthStack } from "./auth_http_client.ts";

export interface Caller {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** A confirmed account (with a staff role when asked) signed in through Auth's password grant. */
export async function caller(
  stack: Stack,
  name: string,
  role?: "finance" | "admin" | "agent",
): Promise<Caller> {
  const account = await createAccount(stack, name);
  if (role) {
    await sql`insert into public.user_roles (user_id, role) values (${account.id}, ${role}::public.app_role)`
      .execute(db());
  }
  const res = await fetch(`${stack.gatewayUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: stack.keys.publishableKey, "content-type": "application/json" },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!res.ok) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const { access_token } = await res.json() as { access_token: string };
  return { ...account, token: access_token };
}

export interface ApiResponse {
  status: number;
  // deno-lint-ignore no-explicit-any -- test assertions read arbitrary JSON
  body: any;
}

/** Calls the app's API; `auth` is a caller, a raw Authorization value, or nothing. */
export async function api(
  stack: Stack,
  method: "GET" | "POST" | "PUT" | "PATCH",
  path: string,
  options: {
    as?: Caller | string;
    json?: unknown;
    key?: string;
    headers?: Record<string, string>;
    locale?: "fa" | "en";
  } = {},
): Promise<ApiResponse> {
  const headers = new Headers(options.headers ?? {});
  headers.set("accept-language", options.locale ?? "en");
  if (typeof options.as === "string") headers.set("authorization", options.as);
  else if (options.as) headers.set("authorization", `Bearer ${options.as.token}`);
  if (options.key) headers.set("idempotency-key", options.key);
  let body: string | undefined;
  if (options.json !== undefined) {
    body = typeof options.json === "string" ? options.json : JSON.stringify(options.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const res = await fetch(new URL(path, stack.appUrl), { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: parsed };
}

/** A fresh re-authentication token for `who` (the password checked again), for `X-Reauthentication`. */
export async function reauthToken(stack: Stack, who: Caller): Promise<string> {
  const res = await api(stack, "POST", "/api/v1/auth/reauthenticate", {
    as: who,
    json: { password: who.password },
  });
  if (res.status !== 200) throw new Error(`reauthenticate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.reauthentication_token;
}

/** Runs `fn` with a stack started for this file and stopped afterwards. */
export async function withApiStack(fn: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startAuthStack();
  try {
    await fn(stack);
  } finally {
    await stack.stop();
  }
}

/** A cookie client signed in through the app's form as `who`, in `locale`. */
export async function signedInClient(stack: Stack, who: Caller, locale: "fa" | "en" = "en"): Promise<Client> {
  const client = new Client(stack.appUrl);
  await signIn(client, who);
  client.cookies.set("locale", locale);
  return client;
}

/** The value of a hidden form field in a page (e.g. a form's idempotency key). */
export const hiddenValue = (html: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
