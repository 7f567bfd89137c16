/**
 * Endpoints present for supabase-js's sake: GET /reauthenticate (reauthenticate.go), and the MFA and
 * identity-linking routes, which answer as GoTrue does with MFA enrolment and manual linking switched off.
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../context.ts";
import { forbidden, notFound, unprocessable, validationFailed } from "../errors.ts";
import { readJson, requireUser } from "../guards.ts";
import { sendReauthentication } from "../send.ts";
import { isConfirmed } from "../users.ts";
import { optString } from "../validate.ts";

const DISABLED_ENROLL: Record<string, [string, string]> = {
  totp: ["mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP"],
  phone: ["mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone"],
  webauthn: ["mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn"],
};

const manualLinkingDisabled = () => notFound("manual_linking_disabled", "Manual linking is disabled");

export function extraRoutes(app: Hono<AuthEnv>) {
  app.get("/reauthenticate", requireUser, async (c) => {
    const emu = c.get("emu");
    const user = c.get("user");
    if (!user.email) {
      throw validationFailed("Reauthentication requires the user to have an email or a phone number");
    }
    if (!isConfirmed(user)) throw unprocessable("email_not_confirmed", "Please verify your email first.");
    await emu.sql.begin((tx) => sendReauthentication(tx, emu, user));
    return c.json({});
  });

  app.post("/factors", requireUser, async (c) => {
    if (c.get("claims").is_anonymous) {
      throw forbidden("no_authorization", "Anonymous user not allowed to perform these actions");
    }
    const body = await readJson(c, z.object({ factor_type: optString }));
    const disabled = DISABLED_ENROLL[body.factor_type ?? ""];
    if (!disabled) throw validationFailed("factor_type needs to be totp, phone, or webauthn");
    throw unprocessable(...disabled);
  });

  const noFactor = () => {
    throw notFound("mfa_factor_not_found", "Factor not found");
  };
  app.post("/factors/:id/challenge", requireUser, noFactor);
  app.post("/factors/:id/verify", requireUser, noFactor);
  app.delete("/factors/:id", requireUser, noFactor);

  app.get("/user/identities/authorize", requireUser, () => {
    throw manualLinkingDisabled();
  });
  app.delete("/user/identities/:id", requireUser, () => {
    throw manualLinkingDisabled();
  });
}
