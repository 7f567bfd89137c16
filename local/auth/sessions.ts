/** Sessions and legacy refresh tokens (models/sessions.go, refresh_token.go; tokens/service.go IssueRefreshToken). */
import type postgres from "postgres";
import type { Db, Emulator, GrantParams } from "./context.ts";
import { generateAccessToken, newRefreshToken } from "./tokens.ts";
import { INSTANCE_ID, type UserRow } from "./users.ts";
import { loadUserJson } from "./user_json.ts";

export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  created_at: Date;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

/** The Session object of spec §2.3 (AccessTokenResponse). */
export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
  provider_token?: string;
  provider_refresh_token?: string;
  weak_password?: { message: string; reasons: string[] };
}

/** Inserts a refresh token; a child keeps its parent's session (createRefreshToken). */
export async function insertRefreshToken(
  db: Db,
  emu: Emulator,
  userId: string,
  sessionId: string,
  parent: string | null,
): Promise<string> {
  const token = newRefreshToken();
  const now = emu.now();
  await db`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${INSTANCE_ID}, ${token}, ${userId}, false, ${now}, ${now}, ${parent}, ${sessionId})`;
  await db`update auth.users set last_sign_in_at = ${now}, updated_at = ${now} where id = ${userId}`;
  return token;
}

/** Records how the session was authenticated (AddClaimToSession); feeds the `amr` claim. */
async function addAmrClaim(db: Db, emu: Emulator, sessionId: string, method: string): Promise<void> {
  const now = emu.now();
  await db`insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${crypto.randomUUID()}, ${sessionId}, ${now}, ${now}, ${method})
    on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey
    do update set updated_at = ${now}`;
}

/** Builds the response for a session's newest tokens, with the user reloaded. */
export async function tokenResponse(
  tx: postgres.TransactionSql,
  emu: Emulator,
  user: UserRow,
  sessionId: string,
  refreshToken: string,
  method: string,
): Promise<TokenResponse> {
  const fresh = (await tx<UserRow[]>`select * from auth.users where id = ${user.id}`)[0];
  const { token, expiresAt } = await generateAccessToken(tx, emu, fresh, sessionId, method);
  return {
    access_token: token,
    token_type: "bearer",
    // GoTrue answers the configured lifetime, not `exp - now`: a second clock read here could
    // cross a second boundary and answer 3599.
    expires_in: emu.config.jwtExpiry,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: await loadUserJson(tx, user.id),
  };
}

/** Starts a session for the user: session row, first refresh token, amr claim, access token. */
export async function issueSession(
  tx: postgres.TransactionSql,
  emu: Emulator,
  user: UserRow,
  method: string,
  grant: GrantParams,
): Promise<TokenResponse> {
  const sessionId = crypto.randomUUID();
  const now = emu.now();
  await tx`insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
    values (${sessionId}, ${user.id}, ${now}, ${now}, 'aal1', ${grant.userAgent}, ${grant.ip})`;
  const refreshToken = await insertRefreshToken(tx, emu, user.id, sessionId, null);
  await addAmrClaim(tx, emu, sessionId, method);
  return await tokenResponse(tx, emu, user, sessionId, refreshToken, method);
}

export type LogoutScope = "global" | "local" | "others";

/** Deletes sessions (refresh tokens and amr claims cascade), as models.Logout* do. */
export async function logout(db: Db, userId: string, sessionId: string | undefined, scope: LogoutScope) {
  if (sessionId && scope === "local") await db`delete from auth.sessions where id = ${sessionId}`;
  else if (sessionId && scope === "others") {
    await db`delete from auth.sessions where id <> ${sessionId} and user_id = ${userId}`;
  } else await db`delete from auth.sessions where user_id = ${userId}`;
}
