/** POST /recover, POST /resend (recover.go, resend.go) and POST /logout (logout.go). */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { badRequest, validationFailed } from "../errors.ts";
import { clientIp, readJson, requireUser } from "../guards.ts";
import { createFlowState, validatePkceParams } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { redirectTarget } from "../request.ts";
import { sendConfirmation, sendEmailChange, sendRecoveryOrMagicLink } from "../send.ts";
import { logout, type LogoutScope } from "../sessions.ts";
import { findUserByEmail, isConfirmed } from "../users.ts";
import { optString, validateEmail, validatePhone } from "../validate.ts";
import { findUserByPhone, isPhoneConfirmed, sendPhoneOtp } from "../sms.ts";
import { requirePhoneProvider } from "../sms.ts";

const RecoverBody = z.object({
  email: optString,
  code_challenge: optString,
  code_challenge_method: optString,
});
const ResendBody = RecoverBody.extend({ type: optString, phone: optString });

export function recoverRoutes(app: Hono<AuthEnv>) {
  app.post("/recover", async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.recover, clientIp(c));
    if (!emu.config.emailEnabled) throw badRequest("email_provider_disabled", "Email logins are disabled");
    const body = await readJson(c, RecoverBody);
    if (!body.email) throw validationFailed("Password recovery requires an email");
    const email = validateEmail(body.email);
    validatePkceParams(body.code_challenge_method, body.code_challenge);
    const user = await findUserByEmail(emu.sql, email);
    if (!user) return c.json({}); // never reveal whether the address is registered
    const redirectTo = redirectTarget(c);
    await emu.sql.begin(async (tx) => {
      if (body.code_challenge) {
        await createFlowState(tx, emu, {
          providerType: "recovery",
          authenticationMethod: "recovery",
          codeChallenge: body.code_challenge,
          codeChallengeMethod: body.code_challenge_method,
          userId: user.id,
        });
      }
      await sendRecoveryOrMagicLink(tx, emu, user, "recovery", !!body.code_challenge, redirectTo);
    });
    return c.json({});
  });

  app.post("/resend", async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.resend, clientIp(c));
    const body = await readJson(c, ResendBody);
    const type = body.type ?? "";
    if (!["signup", "email_change", "sms", "phone_change"].includes(type)) {
      throw validationFailed("Missing one of these types: signup, email_change, sms, phone_change");
    }
    validatePkceParams(body.code_challenge_method, body.code_challenge);
    if (!body.email && type === "signup") throw validationFailed("Type provided requires an email address");
    if (body.email && body.phone) {
      throw validationFailed("Only an email address or phone number should be provided.");
    }
    if (body.phone) {
      if (type !== "sms" && type !== "phone_change") {
        throw validationFailed("Type provided requires an email address");
      }
      requirePhoneProvider(emu);
      const phone = validatePhone(body.phone);
      const user = await findUserByPhone(emu.sql, phone);
      // Silent: unknown numbers, confirmed ones (sign in with /otp instead) and no pending change.
      if (!user) return c.json({});
      if (type === "sms" && isPhoneConfirmed(user)) return c.json({});
      if (type === "phone_change" && !user.phone_change) return c.json({});
      const target = type === "sms" ? phone : user.phone_change!;
      const sent = await emu.sql.begin((tx) => sendPhoneOtp(tx, emu, user, type, target, clientIp(c)));
      return c.json(sent.messageId ? { message_id: sent.messageId } : {});
    }
    if (type === "sms" || type === "phone_change") {
      throw validationFailed("Type provided requires a phone number");
    }
    if (!body.email) throw validationFailed("Missing email address or phone number");
    const user = await findUserByEmail(emu.sql, validateEmail(body.email));
    if (!user) return c.json({});
    if (type === "signup" && isConfirmed(user)) return c.json({});
    if (type === "email_change" && !user.email_change) return c.json({});
    const redirectTo = redirectTarget(c);
    const pkce = !!body.code_challenge;
    await emu.sql.begin(async (tx) => {
      const method = type === "signup" ? "email/signup" : "email_change";
      if (pkce) {
        await createFlowState(tx, emu, {
          providerType: method,
          authenticationMethod: method,
          codeChallenge: body.code_challenge,
          codeChallengeMethod: body.code_challenge_method,
          userId: user.id,
        });
      }
      if (type === "signup") await sendConfirmation(tx, emu, user, pkce, redirectTo);
      else await sendEmailChange(tx, emu, user, user.email_change!, pkce, redirectTo);
    });
    return c.json({});
  });

  app.post("/logout", requireUser, async (c) => {
    const scope = c.req.query("scope") || "global";
    if (!["global", "local", "others"].includes(scope)) {
      throw validationFailed(`Unsupported logout scope "${scope}"`);
    }
    await logout(c.get("emu").sql, c.get("user").id, c.get("session")?.id, scope as LogoutScope);
    return c.body(null, 204);
  });
}
