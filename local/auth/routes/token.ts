/** POST /token?grant_type=password|refresh_token|pkce (token.go, token_refresh.go). */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { badRequest, unprocessable, validationFailed } from "../errors.ts";
import { clientIp, grantParams, readJson } from "../guards.ts";
import { weakPassword } from "../passwords.ts";
import { consumeAuthCode } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { refreshTokenGrant } from "../refresh.ts";
import { issueSession } from "../sessions.ts";
import {
  findUserByEmail,
  findUserById,
  hasPassword,
  isBanned,
  isConfirmed,
  passwordMatches,
} from "../users.ts";
import { optString } from "../validate.ts";
import { findUserByPhone, isPhoneConfirmed } from "../sms.ts";

const INVALID_LOGIN = "Invalid login credentials";

const PasswordBody = z.object({ email: optString, phone: optString, password: optString });
const RefreshBody = z.object({ refresh_token: optString });
const PkceBody = z.object({ auth_code: optString, code_verifier: optString });

async function passwordGrant(c: Context<AuthEnv>) {
  const emu = c.get("emu");
  const body = await readJson(c, PasswordBody);
  if (body.email && body.phone) {
    throw validationFailed("Only an email address or phone number should be provided on login.");
  }
  if (!body.email && !body.phone) throw validationFailed("missing email or phone");
  if (body.phone && !emu.config.sms.enabled) {
    throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  }
  if (body.email && !emu.config.emailEnabled) {
    throw unprocessable("email_provider_disabled", "Email logins are disabled");
  }
  const password = body.password ?? "";
  // formatPhoneNumber only: one leading + and spaces go, there is no E.164 check on this path.
  const user = body.email
    ? await findUserByEmail(emu.sql, body.email)
    : await findUserByPhone(emu.sql, body.phone!.replace(/^\+/, "").replaceAll(" ", ""));
  if (!user || !hasPassword(user)) throw badRequest("invalid_credentials", INVALID_LOGIN);
  if (isBanned(user, emu.now())) throw badRequest("user_banned", "User is banned");
  if (!(await passwordMatches(emu.sql, user, password))) {
    throw badRequest("invalid_credentials", INVALID_LOGIN);
  }
  if (body.email && !isConfirmed(user)) throw badRequest("email_not_confirmed", "Email not confirmed");
  if (body.phone && !isPhoneConfirmed(user)) throw badRequest("phone_not_confirmed", "Phone not confirmed");
  let weak: ReturnType<typeof weakPassword>;
  try {
    weak = weakPassword(emu.config, password);
  } catch {
    weak = undefined; // over 72 bytes cannot match a bcrypt hash anyway
  }
  const session = await emu.sql.begin((tx) => issueSession(tx, emu, user, "password", grantParams(c)));
  if (weak) session.weak_password = { message: weak.message, reasons: weak.weakPasswordReasons! };
  return c.json(session);
}

async function pkceGrant(c: Context<AuthEnv>) {
  const emu = c.get("emu");
  const body = await readJson(c, PkceBody);
  if (!body.auth_code || !body.code_verifier) {
    throw validationFailed("invalid request: both auth code and code verifier should be non-empty");
  }
  const session = await emu.sql.begin(async (tx) => {
    const flow = await consumeAuthCode(tx, emu, body.auth_code!, body.code_verifier!);
    const user = await findUserById(tx, flow.user_id);
    if (!user) throw badRequest("user_not_found", "User not found");
    const response = await issueSession(tx, emu, user, flow.authentication_method, grantParams(c));
    if (flow.provider_access_token) response.provider_token = flow.provider_access_token;
    if (flow.provider_refresh_token) response.provider_refresh_token = flow.provider_refresh_token;
    await tx`delete from auth.flow_state where id = ${flow.id}`;
    return response;
  });
  return c.json(session);
}

export function tokenRoutes(app: Hono<AuthEnv>) {
  app.post("/token", async (c) => {
    const emu = c.get("emu");
    const grantType = c.req.query("grant_type");
    if (!["password", "refresh_token", "pkce"].includes(grantType ?? "")) {
      throw badRequest("invalid_credentials", "unsupported_grant_type");
    }
    limitRequest(emu.limits.token, clientIp(c));
    if (grantType === "password") return await passwordGrant(c);
    if (grantType === "pkce") return await pkceGrant(c);
    const body = await readJson(c, RefreshBody);
    return c.json(await refreshTokenGrant(emu, body.refresh_token ?? "", grantParams(c)));
  });
}
