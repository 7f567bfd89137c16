/** POST /signup (signup.go): a User and a confirmation mail or SMS code, or a Session when autoconfirm is on. */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv, Emulator } from "../context.ts";
import { badRequest, unprocessable, validationFailed } from "../errors.ts";
import { clientIp, grantParams, readJson } from "../guards.ts";
import { checkPasswordStrength } from "../passwords.ts";
import { validatePkceParams } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { redirectTarget } from "../request.ts";
import { issueSession } from "../sessions.ts";
import { signUpWithEmail } from "../signup_flow.ts";
import { requirePhoneProvider, signUpWithPhone } from "../sms.ts";
import { loadUserJson } from "../user_json.ts";
import type { UserRow } from "../users.ts";
import { optObject, optString, validateEmail, validatePhone } from "../validate.ts";

const PHONE_APP = { provider: "phone", providers: ["phone"] };

const SignupBody = z.object({
  email: optString,
  phone: optString,
  password: optString,
  data: optObject,
  channel: optString,
  code_challenge: optString,
  code_challenge_method: optString,
});

/** The obfuscated user GoTrue returns for an existing confirmed email when confirmations are on. */
function fakeUser(emu: Emulator, existing: UserRow, data: Record<string, unknown>) {
  const now = emu.now().toISOString();
  return {
    id: crypto.randomUUID(),
    aud: existing.aud ?? "authenticated",
    role: "",
    email: existing.email ?? "",
    phone: "",
    confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

export function signupRoutes(app: Hono<AuthEnv>) {
  app.post("/signup", async (c) => {
    const emu = c.get("emu");
    const body = await readJson(c, SignupBody);
    if (!body.email && !body.phone) {
      throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    }
    limitRequest(emu.limits.signups, clientIp(c));
    if (emu.config.disableSignup) {
      throw unprocessable("signup_disabled", "Signups not allowed for this instance");
    }
    if (!body.password) throw validationFailed("Signup requires a valid password");
    checkPasswordStrength(emu.config, body.password);
    if (body.email && body.phone) {
      throw validationFailed("Only an email address or phone number should be provided on signup.");
    }
    validatePkceParams(body.code_challenge_method, body.code_challenge);
    if (body.phone) {
      requirePhoneProvider(emu, "Phone signups are disabled");
      const phone = validatePhone(body.phone);
      const data = body.data ?? {};
      const ip = clientIp(c);
      const result = await emu.sql.begin(async (tx) => {
        const outcome = await signUpWithPhone(tx, emu, { phone, password: body.password!, data }, ip);
        if ("exists" in outcome) return outcome;
        if (emu.config.sms.autoconfirm) {
          return { session: await issueSession(tx, emu, outcome.user, "password", grantParams(c)) };
        }
        return { user: await loadUserJson(tx, outcome.user.id) };
      });
      if ("exists" in result) {
        if (emu.config.sms.autoconfirm || emu.config.mailerAutoconfirm) {
          throw unprocessable("user_already_exists", "User already registered");
        }
        return c.json({ ...fakeUser(emu, result.exists, data), email: "", phone, app_metadata: PHONE_APP });
      }
      return c.json("session" in result ? result.session : result.user);
    }
    if (!emu.config.emailEnabled) throw badRequest("email_provider_disabled", "Email signups are disabled");
    const data = body.data ?? {};
    const result = await signUpWithEmail(emu, {
      email: validateEmail(body.email),
      password: body.password,
      data,
      codeChallenge: body.code_challenge,
      codeChallengeMethod: body.code_challenge_method,
      redirectTo: redirectTarget(c),
    }, grantParams(c));
    if ("exists" in result) {
      if (emu.config.mailerAutoconfirm) throw unprocessable("user_already_exists", "User already registered");
      return c.json(fakeUser(emu, result.exists, data));
    }
    return c.json("session" in result ? result.session : result.user);
  });
}
