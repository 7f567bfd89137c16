/**
 * The seeded demo accounts (local mode only; listed in the start banner), made through the Auth emulator's admin
 * API, and the demo data of supabase/seed.sql applied after them (`seedDemo`).
 */
import postgres from "postgres";
import { applySeed } from "./migrate.ts";
import type { Stack } from "./stack.ts";

export const SEEDED_ACCOUNTS = {
  password: "pishkhan-demo-1",
  emails: ["admin@pishkhan.local", "agent@pishkhan.local", "finance@pishkhan.local", "user@pishkhan.local"],
};

/** Staff roles on top of the `user` role every account gets from the signup trigger. */
const STAFF_ROLES: Record<string, "admin" | "agent" | "finance"> = {
  "admin@pishkhan.local": "admin",
  "agent@pishkhan.local": "agent",
  "finance@pishkhan.local": "finance",
};

/** Finds the account by email (admin list filter) or creates it confirmed; returns its id. */
async function ensureAccount(authUrl: string, headers: HeadersInit, email: string): Promise<string> {
  const created = await fetch(`${authUrl}/admin/users`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email, password: SEEDED_ACCOUNTS.password, email_confirm: true }),
  });
  const body = await created.json();
  if (created.ok) return body.id;
  if (body.code !== "email_exists") {
    throw new Error(`seeding ${email} failed: ${created.status} ${JSON.stringify(body)}`);
  }
  const listed = await fetch(`${authUrl}/admin/users?filter=${encodeURIComponent(email)}&per_page=50`, {
    headers,
  });
  const { users } = await listed.json() as { users: { id: string; email: string }[] };
  const user = users.find((u) => u.email === email);
  if (!user) throw new Error(`seeding ${email}: exists but was not listed`);
  return user.id;
}

/** Creates the four accounts once (password `pishkhan-demo-1`, email confirmed) and grants the staff roles. */
export async function seedAccounts(stack: Pick<Stack, "gatewayUrl" | "keys" | "env">): Promise<void> {
  const authUrl = `${stack.gatewayUrl}/auth/v1`;
  const headers = {
    apikey: stack.keys.secretKey,
    Authorization: `Bearer ${stack.keys.secretKey}`,
    "Content-Type": "application/json",
    "X-Supabase-Api-Version": "2024-01-01",
  };
  const sql = postgres(stack.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    for (const email of SEEDED_ACCOUNTS.emails) {
      const id = await ensureAccount(authUrl, headers, email);
      const role = STAFF_ROLES[email];
      if (role) {
        await sql`insert into public.user_roles (user_id, role) values (${id}, ${role}::public.app_role)
          on conflict (user_id, role) do nothing`;
      }
    }
  } finally {
    await sql.end();
  }
}

/**
 * The demo a fresh `deno task start` shows: the accounts first, then supabase/seed.sql, whose demo data
 * (the help desk's tickets) belongs to them. Both steps are idempotent, so every start runs them.
 */
export async function seedDemo(stack: Pick<Stack, "gatewayUrl" | "keys" | "env">): Promise<void> {
  await seedAccounts(stack);
  await applySeed(stack.env.DATABASE_URL);
}
