/** GET /verify (email links: 303 redirects) and POST /verify (verifyOtp: a Session) — verify.go. */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { AuthError, unprocessable, validationFailed } from "../errors.ts";
import { clientIp, grantParams, readJson } from "../guards.ts";
import { verifyEmailOtp, verifyTokenHash } from "../otp.ts";
import { issueAuthCode, PKCE_PREFIX } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { redirectTarget } from "../request.ts";
import { issueSession, type TokenResponse } from "../sessions.ts";
import { errorRedirect, messageRedirect, withFragment, withQuery } from "../urls.ts";
import { applyVerification, authMethodOf, SINGLE_CONFIRMATION } from "../verify_flow.ts";
import { optString, validateEmail, validatePhone } from "../validate.ts";
import { applyPhoneVerification, requirePhoneProvider, verifyPhoneOtp } from "../sms.ts";

const VerifyBody = z.object({
  type: optString,
  token: optString,
  token_hash: optString,
  email: optString,
  phone: optString,
  redirect_to: optString,
});

type Outcome = { session: TokenResponse; type: string } | { code: string } | { single: true };

export function verifyRoutes(app: Hono<AuthEnv>) {
  app.get("/verify", async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.verify, clientIp(c));
    const token = c.req.query("token") ?? "";
    const type = c.req.query("type") ?? "";
    if (!type) throw validationFailed("Verify requires a verification type");
    if (!token) throw validationFailed("Verify requires a token or a token hash");
    const redirectTo = redirectTarget(c);
    const pkce = token.startsWith(PKCE_PREFIX);
    let outcome: Outcome;
    try {
      const method = pkce ? authMethodOf(type) : "";
      outcome = await emu.sql.begin(async (tx): Promise<Outcome> => {
        const found = await verifyTokenHash(tx, emu, type, token);
        const user = await applyVerification(tx, emu, found.user, found.type, token);
        if (user === "single") return { single: true };
        if (pkce) return { code: await issueAuthCode(tx, emu, user.id, method) };
        return { session: await issueSession(tx, emu, user, "otp", grantParams(c)), type: found.type };
      });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return c.redirect(errorRedirect(redirectTo, error, pkce), 303);
    }
    if ("single" in outcome) return c.redirect(messageRedirect(redirectTo, SINGLE_CONFIRMATION, pkce), 303);
    if ("code" in outcome) return c.redirect(withQuery(redirectTo, { code: outcome.code }), 303);
    const s = outcome.session;
    return c.redirect(
      withFragment(redirectTo, {
        access_token: s.access_token,
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        refresh_token: s.refresh_token,
        sb: "",
        token_type: s.token_type,
        type: outcome.type,
      }),
      303,
    );
  });

  app.post("/verify", async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.verify, clientIp(c));
    const body = await readJson(c, VerifyBody);
    const type = body.type ?? "";
    if (!type) throw validationFailed("Verify requires a verification type");
    if (!body.token === !body.token_hash) {
      throw validationFailed("Verify requires either a token or a token hash");
    }
    let email: string | undefined;
    if (body.token && body.phone && !body.email) {
      if (type !== "sms" && type !== "phone_change") {
        throw validationFailed("Invalid phone verification type");
      }
      requirePhoneProvider(emu);
      const phone = validatePhone(body.phone);
      const session = await emu.sql.begin(async (tx) => {
        const found = await verifyPhoneOtp(tx, emu, type, phone, body.token!);
        const user = await applyPhoneVerification(tx, emu, found, type);
        return await issueSession(tx, emu, user, "otp", grantParams(c));
      });
      return c.json(session);
    }
    if (body.token) {
      if (!body.email || body.phone) {
        throw validationFailed("Only an email address or phone number should be provided on verify");
      }
      try {
        email = validateEmail(body.email);
      } catch {
        throw unprocessable("validation_failed", "Invalid email format");
      }
    } else if (body.email || body.phone || body.redirect_to) {
      throw validationFailed("Only the token_hash and type should be provided");
    }
    const result = await emu.sql.begin(async (tx) => {
      const found = email
        ? await verifyEmailOtp(tx, emu, type, email, body.token!)
        : { ...(await verifyTokenHash(tx, emu, type, body.token_hash!)), hash: body.token_hash! };
      const user = await applyVerification(tx, emu, found.user, found.type, found.hash);
      if (user === "single") return { msg: SINGLE_CONFIRMATION, code: "200" };
      return await issueSession(tx, emu, user, "otp", grantParams(c));
    });
    return c.json(result);
  });
}
