/** Staff actions on a user account, as the acting staff member: role changes and bans. */
import { asService, asUser } from "../db/client.ts";
import { requestErrors } from "../errors.ts";
import { userErrors } from "./errors.ts";
import type { RequestContext } from "../audit/record.ts";
import { adminAuth } from "../auth/supabase.ts";
import type { UserClaims } from "../auth/tokens.ts";
import {
  auditBan,
  BAN_DURATIONS,
  type BanDuration,
  holdsPermission,
  type Role,
  setUserRole,
} from "./admin.ts";

const forbidden = () => requestErrors.refuse("forbidden", {}, "This needs the users.manage permission");
const missing = () => userErrors.refuse("user_not_found");

/** Postgres refusals from private.set_user_role, as HTTP-shaped domain errors. */
function mapSqlError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === "42501") {
    return /own role/.test(String((error as Error).message))
      ? userErrors.refuse("self_management")
      : forbidden();
  }
  if (code === "P0002") return missing();
  return error;
}

/** Changes a user's role as `claims`' user (RLS and the SQL function decide; audited in the same transaction). */
export async function changeRole(
  claims: UserClaims,
  target: string,
  role: Role,
  context: RequestContext,
): Promise<void> {
  if (target === claims.sub) throw userErrors.refuse("self_management");
  try {
    await asUser(claims, (tx) => setUserRole(tx, target, role, context));
  } catch (error) {
    throw mapSqlError(error);
  }
}

/** Bans (or with "none" lifts the ban on) a user through the Auth admin API, then audits it. */
export async function setBan(
  claims: UserClaims,
  target: string,
  duration: BanDuration | "none",
  context: RequestContext,
): Promise<void> {
  if (target === claims.sub) throw userErrors.refuse("self_management");
  if (!await asUser(claims, (tx) => holdsPermission(tx, "users.manage"))) throw forbidden();
  const { error } = await adminAuth().updateUserById(target, {
    ban_duration: duration === "none" ? "none" : BAN_DURATIONS[duration],
  });
  if (error?.status === 404) throw missing();
  if (error) throw error;
  await asService((tx) => auditBan(tx, { id: claims.sub, email: claims.email }, target, duration, context));
}
