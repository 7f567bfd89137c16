/** GET /settings, /health and /.well-known/jwks.json (settings.go, jwks.go). */
import type { Hono } from "hono";
import type { AuthEnv } from "../context.ts";

const PROVIDERS = [
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "zoom",
];

export function metaRoutes(app: Hono<AuthEnv>) {
  app.get("/settings", (c) => {
    const { config } = c.get("emu");
    const external: Record<string, boolean> = { anonymous_users: false };
    for (const name of PROVIDERS) external[name] = config.external[name]?.enabled ?? false;
    Object.assign(external, { email: config.emailEnabled, phone: config.sms.enabled });
    return c.json({
      external,
      disable_signup: config.disableSignup,
      mailer_autoconfirm: config.mailerAutoconfirm,
      phone_autoconfirm: config.sms.autoconfirm,
      sms_provider: "twilio",
      saml_enabled: false,
      saml_private_key_next_configured: false,
      passkeys_enabled: false,
    });
  });

  app.get(
    "/health",
    (c) =>
      c.json({
        version: "pishkhan-emulator",
        name: "GoTrue",
        description: "GoTrue is a user registration and authentication API",
      }),
  );

  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=600");
    return c.json({ keys: [c.get("emu").keys.publicKey] });
  });
}
