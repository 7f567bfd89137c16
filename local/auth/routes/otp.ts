/** POST /otp and POST /magiclink (otp.go, magic_link.go): email sign-in links and codes, SMS codes. */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { unprocessable, validationFailed } from "../errors.ts";
import { clientIp, grantParams, readJson } from "../guards.ts";
import { createFlowState, validatePkceParams } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { redirectTarget } from "../request.ts";
import { sendRecoveryOrMagicLink } from "../send.ts";
import { generatePassword, signUpWithEmail } from "../signup_flow.ts";
import {
  findUserByPhone,
  isPhoneConfirmed,
  requirePhoneProvider,
  sendPhoneOtp,
  signUpWithPhone,
} from "../sms.ts";
import { findUserByEmail, isConfirmed } from "../users.ts";
import { optBool, optObject, optString, validateEmail, validatePhone } from "../validate.ts";

/** create_user:false with an invalid number is answered otp_disabled, like an unknown one. */
function validatePhoneOr(phone: string | undefined): string {
  try {
    return validatePhone(phone);
  } catch {
    return "";
  }
}

const OtpBody = z.object({
  email: optString,
  phone: optString,
  create_user: optBool,
  data: optObject,
  channel: optString,
  code_challenge: optString,
  code_challenge_method: optString,
});

type OtpParams = z.infer<typeof OtpBody>;

/** MagicLink: unknown or unconfirmed addresses are signed up (confirmation mail), others get a magic link. */
async function magicLink(c: Context<AuthEnv>, params: OtpParams) {
  const emu = c.get("emu");
  if (!emu.config.emailEnabled) throw unprocessable("email_provider_disabled", "Email logins are disabled");
  const email = validateEmail(params.email);
  validatePkceParams(params.code_challenge_method, params.code_challenge);
  const redirectTo = redirectTarget(c);
  const user = await findUserByEmail(emu.sql, email);
  if (!user || !isConfirmed(user)) {
    if (emu.config.disableSignup) {
      throw unprocessable("signup_disabled", "Signups not allowed for this instance");
    }
    await signUpWithEmail(emu, {
      email,
      password: generatePassword(emu.config.requiredCharacters),
      data: params.data ?? {},
      codeChallenge: params.code_challenge,
      codeChallengeMethod: params.code_challenge_method,
      redirectTo,
    }, grantParams(c));
    return c.json({});
  }
  await emu.sql.begin(async (tx) => {
    if (params.code_challenge) {
      await createFlowState(tx, emu, {
        providerType: "magiclink",
        authenticationMethod: "magiclink",
        codeChallenge: params.code_challenge,
        codeChallengeMethod: params.code_challenge_method,
        userId: user.id,
      });
    }
    await sendRecoveryOrMagicLink(tx, emu, user, "magiclink", !!params.code_challenge, redirectTo);
  });
  return c.json({});
}

/** SmsOtp: unknown or unconfirmed numbers are signed up (with a code), confirmed ones get a sign-in code. */
async function smsOtp(c: Context<AuthEnv>, params: OtpParams) {
  const emu = c.get("emu");
  requirePhoneProvider(emu);
  const phone = validatePhone(params.phone);
  const ip = clientIp(c);
  const outcome = await emu.sql.begin(async (tx) => {
    const user = await findUserByPhone(tx, phone);
    if (!user || !isPhoneConfirmed(user)) {
      if (emu.config.disableSignup) {
        throw unprocessable("signup_disabled", "Signups not allowed for this instance");
      }
      const result = await signUpWithPhone(tx, emu, {
        phone,
        password: generatePassword(emu.config.requiredCharacters),
        data: params.data ?? {},
      }, ip);
      // With autoconfirm the new user is confirmed at once and answered like a confirmed one.
      if ("exists" in result || !emu.config.sms.autoconfirm) return {};
      return { messageId: (await sendPhoneOtp(tx, emu, result.user, "sms", phone, ip)).messageId };
    }
    return { messageId: (await sendPhoneOtp(tx, emu, user, "sms", phone, ip)).messageId };
  });
  return c.json(outcome.messageId ? { message_id: outcome.messageId } : {});
}

export function otpRoutes(app: Hono<AuthEnv>) {
  app.post("/otp", async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.otp, clientIp(c));
    const body = await readJson(c, OtpBody);
    if (body.email && body.phone) {
      throw validationFailed("Only an email address or phone number should be provided");
    }
    if (body.email && body.channel) throw validationFailed("Channel should only be specified with Phone OTP");
    validatePkceParams(body.code_challenge_method, body.code_challenge);
    if (body.create_user === false && (body.email || body.phone)) {
      const known = body.email
        ? await findUserByEmail(emu.sql, validateEmail(body.email))
        : await findUserByPhone(emu.sql, validatePhoneOr(body.phone));
      if (!known) throw unprocessable("otp_disabled", "Signups not allowed for otp");
    }
    if (body.email) return await magicLink(c, body);
    if (body.phone) return await smsOtp(c, body);
    throw validationFailed("One of email or phone must be set");
  });

  app.post("/magiclink", async (c) => {
    limitRequest(c.get("emu").limits.magicLink, clientIp(c));
    const body = await readJson(c, OtpBody);
    return await magicLink(c, body);
  });
}
