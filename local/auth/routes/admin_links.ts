/** POST /admin/generate_link (mail.go adminGenerateLink) and POST /invite (invite.go). */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv, Db, Emulator } from "../context.ts";
import { tokenHash } from "../encoding.ts";
import { notFound, unprocessable, validationFailed } from "../errors.ts";
import { readJson, requireAdmin } from "../guards.ts";
import { emailIdentityData, insertIdentity } from "../identities.ts";
import { actionLink } from "../mail.ts";
import { newEmailToken, saveEmailToken, storeOneTimeToken } from "../otp.ts";
import { checkPasswordStrength } from "../passwords.ts";
import { isRedirectUrlValid } from "../redirects.ts";
import { redirectTarget } from "../request.ts";
import { sendInvite } from "../send.ts";
import { generatePassword } from "../signup_flow.ts";
import {
  findUserByEmail,
  insertUser,
  isConfirmed,
  mergeMetadata,
  updateUser,
  type UserRow,
} from "../users.ts";
import { loadUserJson } from "../user_json.ts";
import { optObject, optString, validateEmail } from "../validate.ts";

const LinkBody = z.object({
  type: optString,
  email: optString,
  new_email: optString,
  password: optString,
  data: optObject,
  redirect_to: optString,
});
const InviteBody = z.object({ email: optString, data: optObject });
const DUPLICATE = "A user with this email address has already been registered";

async function createEmailUser(
  db: Db,
  emu: Emulator,
  email: string,
  password: string,
  data: Record<string, unknown>,
) {
  const user = await insertUser(db, emu, {
    email,
    password,
    userMetadata: data,
    appMetadata: { provider: "email", providers: ["email"] },
  });
  await insertIdentity(db, emu, user.id, "email", emailIdentityData(user.id, email));
  return user;
}

export function adminLinkRoutes(app: Hono<AuthEnv>) {
  app.post("/admin/generate_link", requireAdmin, async (c) => {
    const emu = c.get("emu");
    const body = await readJson(c, LinkBody);
    const email = validateEmail(body.email);
    const redirectTo = body.redirect_to && isRedirectUrlValid(emu.config, body.redirect_to)
      ? body.redirect_to
      : redirectTarget(c);
    let type = body.type ?? "";
    let password = body.password ?? "";
    const existing = await findUserByEmail(emu.sql, email);
    if (!existing && type === "magiclink") {
      type = "signup";
      password = generatePassword(emu.config.requiredCharacters, 64);
    } else if (!existing && ["recovery", "email_change_current", "email_change_new"].includes(type)) {
      throw notFound("user_not_found", "User with this email not found");
    }
    if (type === "signup" && !existing) {
      if (!password) throw validationFailed("Signup requires a valid password");
      checkPasswordStrength(emu.config, password);
    }
    const token = newEmailToken(emu, email, false);
    const result = await emu.sql.begin(async (tx) => {
      let user = existing as UserRow;
      let linkToken = token.hashedToken;
      if (type === "magiclink" || type === "recovery") {
        user = await saveEmailToken(tx, emu, user, "recovery", token);
      } else if (type === "invite" || type === "signup") {
        if (user && isConfirmed(user)) throw unprocessable("email_exists", DUPLICATE);
        if (!user) {
          user = await createEmailUser(tx, emu, email, type === "signup" ? password : "", body.data ?? {});
        } else if (type === "signup") {
          user = await updateUser(tx, emu, user.id, {
            raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, body.data ?? {}),
          });
        }
        user = await saveEmailToken(
          tx,
          emu,
          user,
          "confirmation",
          token,
          type === "invite" ? { invited_at: emu.now() } : {},
        );
      } else if (type === "email_change_current" || type === "email_change_new") {
        if (!emu.config.secureEmailChange && type === "email_change_current") {
          throw validationFailed("Enable secure email change to generate link for current email");
        }
        const newEmail = validateEmail(body.new_email);
        const other = await findUserByEmail(tx, newEmail);
        if (other && other.id !== user.id) throw unprocessable("email_exists", DUPLICATE);
        const current = type === "email_change_current";
        if (!current) linkToken = tokenHash(newEmail, token.otp);
        user = await updateUser(tx, emu, user.id, {
          email_change: newEmail,
          email_change_sent_at: emu.now(),
          email_change_confirm_status: 0,
          ...(current ? { email_change_token_current: linkToken } : { email_change_token_new: linkToken }),
        });
        const ott = current ? "email_change_token_current" : "email_change_token_new";
        await storeOneTimeToken(tx, user.id, ott, linkToken, current ? email : newEmail);
      } else {
        throw validationFailed(`Invalid email action link type requested: ${type}`);
      }
      const linkType = type.startsWith("email_change") ? "email_change" : type;
      return {
        user: await loadUserJson(tx, user.id),
        link: actionLink(emu, linkToken, linkType, redirectTo),
      };
    });
    return c.json({
      ...result.user,
      action_link: result.link,
      email_otp: token.otp,
      hashed_token: token.hashedToken,
      verification_type: type,
      redirect_to: redirectTo,
    });
  });

  app.post("/invite", requireAdmin, async (c) => {
    const emu = c.get("emu");
    const body = await readJson(c, InviteBody);
    const email = validateEmail(body.email);
    const redirectTo = redirectTarget(c);
    const user = await emu.sql.begin(async (tx) => {
      let user = await findUserByEmail(tx, email);
      if (user && isConfirmed(user)) throw unprocessable("email_exists", DUPLICATE);
      if (!user) user = await createEmailUser(tx, emu, email, "", body.data ?? {});
      return await sendInvite(tx, emu, user, redirectTo);
    });
    return c.json(await loadUserJson(emu.sql, user.id));
  });
}
