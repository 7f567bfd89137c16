/** GET /user and PUT /user (user.go): read the signed-in user; change password, metadata, email or phone. */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { forbidden, unprocessable, validationFailed } from "../errors.ts";
import { clientIp, readJson, requireUser } from "../guards.ts";
import { emailIdentityData, findIdentity, insertIdentity } from "../identities.ts";
import { checkPasswordStrength } from "../passwords.ts";
import { createFlowState, validatePkceParams } from "../pkce.ts";
import { limitRequest } from "../ratelimit.ts";
import { redirectTarget } from "../request.ts";
import { sendEmailChange } from "../send.ts";
import { applyPhoneVerification, findUserByPhone, requirePhoneProvider, sendPhoneOtp } from "../sms.ts";
import { logout } from "../sessions.ts";
import {
  findUserByEmail,
  hasPassword,
  mergeMetadata,
  passwordMatches,
  setPassword,
  updateUser,
} from "../users.ts";
import { loadUserJson } from "../user_json.ts";
import { optObject, optString, validateEmail, validatePhone } from "../validate.ts";

const UpdateBody = z.object({
  email: optString,
  password: z.string().nullish(),
  current_password: optString,
  nonce: optString,
  data: optObject,
  app_metadata: optObject,
  phone: optString,
  channel: optString,
  code_challenge: optString,
  code_challenge_method: optString,
});

/** UpdatePassword's reset: every outstanding token is void once the password changes. */
const CLEARED_TOKENS = {
  confirmation_token: "",
  confirmation_sent_at: null,
  recovery_token: "",
  recovery_sent_at: null,
  email_change_token_current: "",
  email_change_token_new: "",
  email_change_sent_at: null,
  phone_change_token: "",
  phone_change_sent_at: null,
  reauthentication_token: "",
  reauthentication_sent_at: null,
};

export function userRoutes(app: Hono<AuthEnv>) {
  app.get("/user", requireUser, async (c) => {
    const emu = c.get("emu");
    const aud = c.get("claims").aud;
    if ((Array.isArray(aud) ? aud[0] : aud) !== "authenticated") {
      throw validationFailed("Token audience doesn't match request audience");
    }
    return c.json(await loadUserJson(emu.sql, c.get("user").id));
  });

  app.put("/user", requireUser, async (c) => {
    const emu = c.get("emu");
    limitRequest(emu.limits.user, clientIp(c));
    const body = await readJson(c, UpdateBody);
    let user = c.get("user");
    const session = c.get("session");
    const email = body.email ? validateEmail(body.email) : undefined;
    if (typeof body.password === "string") checkPasswordStrength(emu.config, body.password);
    validatePkceParams(body.code_challenge_method, body.code_challenge);
    if (body.app_metadata && !["service_role", "supabase_admin"].includes(user.role ?? "")) {
      throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
    }
    if (email && email !== user.email) {
      const other = await findUserByEmail(emu.sql, email);
      if (other && other.id !== user.id) {
        throw unprocessable("email_exists", "A user with this email address has already been registered");
      }
    }
    const phone = body.phone ? validatePhone(body.phone) : undefined;
    if (phone && phone !== user.phone) {
      requirePhoneProvider(emu);
      const other = await findUserByPhone(emu.sql, phone);
      if (other && other.id !== user.id) {
        throw unprocessable("phone_exists", "A user with this phone number has already been registered");
      }
    }
    const password = body.password;
    if (password && hasPassword(user) && await passwordMatches(emu.sql, user, password)) {
      throw unprocessable("same_password", "New password should be different from the old password.");
    }
    const redirectTo = redirectTarget(c);

    await emu.sql.begin(async (tx) => {
      if (typeof password === "string") {
        const addingFirst = password !== "" && !hasPassword(user);
        await setPassword(tx, emu, user.id, password);
        user = await updateUser(tx, emu, user.id, CLEARED_TOKENS);
        await tx`delete from auth.one_time_tokens where user_id = ${user.id}`;
        // Other sessions end so that whoever knew the old password is signed out.
        await logout(tx, user.id, session?.id, session ? "others" : "global");
        if (addingFirst && user.email && !(await findIdentity(tx, user.id, "email"))) {
          await insertIdentity(tx, emu, user.id, "email", emailIdentityData(user.id, user.email));
        }
      }
      if (body.data) {
        user = await updateUser(tx, emu, user.id, {
          raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, body.data),
        });
      }
      if (body.app_metadata) {
        user = await updateUser(tx, emu, user.id, {
          raw_app_meta_data: mergeMetadata(user.raw_app_meta_data, body.app_metadata),
        });
      }
      if (email && email !== user.email) {
        if (body.code_challenge) {
          await createFlowState(tx, emu, {
            providerType: "email_change",
            authenticationMethod: "email_change",
            codeChallenge: body.code_challenge,
            codeChallengeMethod: body.code_challenge_method,
            userId: user.id,
          });
        }
        user = await sendEmailChange(tx, emu, user, email, !!body.code_challenge, redirectTo);
      }
      if (phone && phone !== user.phone) {
        if (emu.config.sms.autoconfirm) {
          user = await updateUser(tx, emu, user.id, { phone, phone_change: phone });
          user = await applyPhoneVerification(tx, emu, user, "phone_change");
        } else user = (await sendPhoneOtp(tx, emu, user, "phone_change", phone, clientIp(c))).user;
      }
    });
    return c.json(await loadUserJson(emu.sql, user.id));
  });
}
