/** Database helpers for integration tests: the test database, users made directly in auth.users, claims. */
import { sql } from "kysely";
import { type Claims, db } from "../../lib/db/client.ts";

export { asService, asUser, db } from "../../lib/db/client.ts";

export interface TestUser {
  id: string;
  email: string;
  claims: Claims;
}

/** A unique email per call, so tests never collide on data. */
export function uniqueEmail(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
}

/**
 * Creates a confirmed user (triggers add the profile and the `user` role) and returns the claims a
 * verified access token for them would carry. `role` adds a staff role.
 */
export async function createUser(
  name: string,
  options: { role?: "agent" | "finance" | "admin" } = {},
): Promise<TestUser> {
  const id = crypto.randomUUID();
  const email = uniqueEmail(name);
  await sql`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
              raw_user_meta_data, created_at, updated_at)
            values (${id}, 'authenticated', 'authenticated', ${email}, now(),
              '{"provider":"email","providers":["email"]}',
              -- text first: postgres.js would JSON-encode a string bound straight to a jsonb parameter
              ${JSON.stringify({ full_name: name })}::text::jsonb, now(), now())`
    .execute(db());
  if (options.role) {
    await sql`insert into public.user_roles (user_id, role) values (${id}, ${options.role}::public.app_role)`
      .execute(db());
  }
  const userRole = options.role ?? "user";
  return {
    id,
    email,
    claims: { sub: id, role: "authenticated", aud: "authenticated", email, user_role: userRole },
  };
}

/** Claims of an anonymous (not signed-in) visitor. */
export const anonClaims: Claims = { role: "anon" };
