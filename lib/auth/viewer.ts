/** The signed-in person as pages see them: id, email, role and the permissions that role grants. */
import { sql } from "kysely";
import { asUser } from "../db/client.ts";
import type { UserClaims } from "./tokens.ts";

export interface Viewer {
  id: string;
  email: string;
  /** The JWT's `phone` (digits, no +; "" without one): shown when there is no email. */
  phone: string;
  role: string;
  permissions: readonly string[];
}

const TTL_MS = 30_000;
const cache = new Map<string, { permissions: readonly string[]; at: number }>();

/**
 * Permissions of a role, read from public.role_permissions as the user (RLS applies) and cached briefly.
 * Pages use them to show or hide links; the database checks them again on every query.
 */
async function permissionsFor(claims: UserClaims): Promise<readonly string[]> {
  const role = claims.user_role;
  if (!role) return [];
  const hit = cache.get(role);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.permissions;
  const rows = await asUser(claims, async (tx) =>
    (await sql<{ permission: string }>`
      select permission::text from public.role_permissions where role::text = ${role}`.execute(tx)).rows);
  const permissions = Object.freeze(rows.map((r) => r.permission).sort());
  cache.set(role, { permissions, at: Date.now() });
  return permissions;
}

export async function viewerFrom(claims: UserClaims): Promise<Viewer> {
  return {
    id: claims.sub,
    email: claims.email ?? "",
    phone: typeof claims.phone === "string" ? claims.phone : "",
    role: claims.user_role ?? "user",
    permissions: await permissionsFor(claims),
  };
}

export function can(viewer: Viewer | undefined, permission: string): boolean {
  return !!viewer?.permissions.includes(permission);
}
