/** Test helper (not a test): a cookie-keeping HTTP client for the app, and Auth-emulator shortcuts. */
import postgres from "postgres";
import { loadConfig, setConfig } from "../../lib/config.ts";
import type { Stack } from "../../local/stack.ts";
import { startTestStack } from "../_support/stack.ts";
import { sql } from "kysely";
import { db } from "../_support/db.ts";

/**
 * Starts the stack and pins this test module's configuration to it. Parallel test files share one process
 * environment and one database, and two stacks starting at once race on their set-up SQL ("tuple
 * concurrently updated"), so starts are taken one at a time under a Postgres advisory lock.
 */
export async function startAuthStack(): Promise<Stack> {
  const lock = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(7270011)`;
    const stack = await startTestStack();
    setConfig(loadConfig({ ...Deno.env.toObject(), ...stack.env, LOG_LEVEL: "silent" }));
    return stack;
  } finally {
    await lock`select pg_advisory_unlock(7270011)`.catch(() => {});
    await lock.end({ timeout: 2 });
  }
}

/** Runs `fn` against a fresh stack, stopped afterwards whatever happens. */
export async function withStack(fn: (stack: Stack) => Promise<void>) {
  const stack = await startAuthStack();
  try {
    await fn(stack);
  } finally {
    await stack.stop();
  }
}

/** A browser without a browser: keeps cookies per host and never follows redirects by itself. */
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string, readonly headers: Record<string, string> = {}) {}

  async request(path: string, init: RequestInit & { form?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers({ accept: "text/html", ...this.headers, ...(init.headers ?? {}) });
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (cookie && url.origin === new URL(this.base).origin) headers.set("cookie", cookie);
    let body = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers.set("content-type", "application/x-www-form-urlencoded");
      headers.set("origin", new URL(this.base).origin);
    }
    const res = await fetch(url, { ...init, body, headers, redirect: "manual" });
    if (url.origin === new URL(this.base).origin) {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(";");
        const [name, ...rest] = pair.split("=");
        const gone = attributes.some((a) => /^\s*max-age=0$/i.test(a)) || rest.join("=") === "";
        if (gone) this.cookies.delete(name.trim());
        else this.cookies.set(name.trim(), rest.join("="));
      }
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, { method: "POST", form, headers });
  }

  /** Follows redirects (across hosts, like a browser) and returns the final response and its URL. */
  async follow(res: Response, from: string): Promise<{ res: Response; url: string }> {
    let url = from;
    while (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      url = new URL(res.headers.get("location")!, url).href;
      res = url.startsWith(this.base) ? await this.get(url) : await fetch(url, { redirect: "manual" });
    }
    return { res, url };
  }
}

/** The newest link to Auth's /verify in the emails sent to `email` (waits for the mail to arrive). */
export async function mailedLink(stack: Stack, email: string, after = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${stack.gatewayUrl}/_dev/outbox/messages.json?to=${encodeURIComponent(email)}`);
    const { messages } = await res.json() as { messages: { id: number; body_text: string | null }[] };
    // Newest first; notification emails (a new sign-in, …) reach the same address, so skip mails without a link.
    const fresh = messages.filter((m) => m.id > after);
    const link = fresh.map((m) => m.body_text?.match(/https?:\/\/\S+\/auth\/v1\/verify\?\S+/)?.[0]).find(
      Boolean,
    );
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail with a link reached ${email}`);
}

/** Newest outbox message id for `email` (0 when none), to wait for a later one. */
export async function lastMailId(stack: Stack, email: string): Promise<number> {
  const res = await fetch(`${stack.gatewayUrl}/_dev/outbox/messages.json?to=${encodeURIComponent(email)}`);
  const { messages } = await res.json() as { messages: { id: number }[] };
  return messages[0]?.id ?? 0;
}

/** Calls Auth's admin API with the project's secret key; throws unless it answers 2xx. */
async function authAdmin<T>(stack: Stack, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${stack.gatewayUrl}/auth/v1/admin/${path}`, {
    method: "POST",
    headers: {
      apikey: stack.keys.secretKey,
      authorization: `Bearer ${stack.keys.secretKey}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
  return await res.json() as T;
}

/** A confirmed account made through the Auth admin API; `role` is granted directly in SQL by the caller. */
export async function createAccount(stack: Stack, name: string, password = "Passw0rd-test"): Promise<
  { id: string; email: string; password: string }
> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const user = await authAdmin<{ id: string }>(stack, "users", {
    email,
    password,
    email_confirm: true,
    user_metadata: { full_name: name },
  });
  return { id: user.id, email, password };
}

/** An emailed-link token hash for `email` (as anyone gets one for their own account, from their inbox). */
export async function magicTokenHash(stack: Stack, email: string): Promise<string> {
  return (await authAdmin<{ hashed_token: string }>(stack, "generate_link", { type: "magiclink", email }))
    .hashed_token;
}

/** Signs `client` in through the app's form; throws unless the app redirects. */
export async function signIn(
  client: Client,
  account: { email: string; password: string },
  next = "/profile",
) {
  const res = await client.post("/signin", { email: account.email, password: account.password, next });
  if (res.status !== 303) {
    throw new Error(`sign-in answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
  await res.body?.cancel();
  return res.headers.get("location");
}

/** A cookie client signed in as `account` through the app's form, reading pages in `locale`. */
export async function signedInClient(
  stack: Stack,
  account: { email: string; password: string },
  locale: "fa" | "en",
): Promise<Client> {
  const client = new Client(stack.appUrl);
  await signIn(client, account);
  client.cookies.set("locale", locale);
  return client;
}

/** An account with `role`, signed in (the role reaches the JWT through the access token hook). */
export async function staff(stack: Stack, role: "user" | "agent" | "finance" | "auditor" | "admin") {
  const account = await createAccount(stack, role);
  await sql`delete from public.user_roles where user_id = ${account.id}`.execute(db());
  await sql`insert into public.user_roles (user_id, role) values (${account.id}, ${role}::public.app_role)`
    .execute(db());
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(client, account);
  return { ...account, client };
}
