/**
 * The refresh_token grant (tokens/service.go RefreshTokenGrant, spec §5.3): single use with a parent chain, a
 * reuse window, "client failed to save" recovery, and reuse detection that revokes the session's tokens.
 */
import type { Emulator, GrantParams } from "./context.ts";
import { type AuthError, badRequest, validationFailed } from "./errors.ts";
import { insertRefreshToken, type RefreshTokenRow, type TokenResponse, tokenResponse } from "./sessions.ts";
import { findUserById, isBanned } from "./users.ts";

/** Format check of token_refresh.go: legacy tokens are exactly 12 of [a-z0-9] (v2 tokens are not issued here). */
export function validateRefreshToken(token: string): void {
  if (!/^[a-z0-9]{12}$/.test(token)) throw validationFailed("Refresh token is not valid");
}

export async function refreshTokenGrant(
  emu: Emulator,
  token: string,
  grant: GrantParams,
): Promise<TokenResponse> {
  validateRefreshToken(token);
  // A revocation must commit even though the request fails, so the failure leaves the transaction as a value.
  const result = await emu.sql.begin(async (tx): Promise<TokenResponse | AuthError> => {
    const [row] = await tx<
      RefreshTokenRow[]
    >`select * from auth.refresh_tokens where token = ${token} for update`;
    if (!row) return badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    const user = await findUserById(tx, row.user_id);
    if (!user) return badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    if (isBanned(user, emu.now())) return badRequest("user_banned", "Invalid Refresh Token: User Banned");
    const [session] = row.session_id
      ? await tx<{ id: string; not_after: Date | null }[]>`
          select id, not_after from auth.sessions where id = ${row.session_id} for update`
      : [];
    if (!session) {
      await tx`delete from auth.refresh_tokens where id = ${row.id}`;
      return badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
    }
    if (session.not_after && emu.now() > session.not_after) {
      return badRequest("session_expired", "Invalid Refresh Token: Session Expired");
    }

    let issued: string | undefined;
    if (row.revoked) {
      const [active] = await tx<RefreshTokenRow[]>`
        select * from auth.refresh_tokens where session_id = ${session.id} and revoked = false
        order by id desc limit 1`;
      if (active && active.parent === row.token) {
        issued = active.token; // the client failed to save the child: hand it out again
      } else if (
        emu.now().getTime() > row.updated_at.getTime() + emu.config.refreshTokenReuseInterval * 1000
      ) {
        if (emu.config.refreshTokenRotation) {
          await tx`update auth.refresh_tokens set revoked = true, updated_at = ${emu.now()}
            where session_id = ${session.id} and revoked = false`;
        }
        return badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
      }
    }
    if (!issued) {
      await tx`update auth.refresh_tokens set revoked = true, updated_at = ${emu.now()} where id = ${row.id}`;
      issued = await insertRefreshToken(tx, emu, user.id, session.id, row.token);
    }
    const response = await tokenResponse(tx, emu, user, session.id, issued, "token_refresh");
    await tx`update auth.sessions set refreshed_at = (${emu.now()}::timestamptz at time zone 'UTC'), updated_at = ${emu.now()},
      user_agent = ${grant.userAgent}, ip = ${grant.ip} where id = ${session.id}`;
    return response;
  });
  if (result instanceof Error) throw result;
  return result;
}
