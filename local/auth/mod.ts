/**
 * The local Auth emulator: a GoTrue-compatible API over the real `auth.*` tables, mounted on the gateway at
 * /auth/v1 so supabase-js and @supabase/ssr work against it unchanged (shared/specs/supabase.md §12).
 *
 * Endpoints: GET /settings, /health, /.well-known/jwks.json; POST /signup; POST /token?grant_type=
 * password|refresh_token|pkce; GET|PUT /user; POST /logout?scope=; POST /otp, /magiclink, /recover, /resend;
 * GET|POST /verify; GET /reauthenticate; GET /authorize; GET|POST /callback; the emulated provider page
 * GET|POST /_emulator/oauth/{github|google}/authorize; admin: GET|POST /admin/users,
 * GET|PUT|DELETE /admin/users/{id}, GET /admin/users/{id}/factors, POST /admin/generate_link, POST /invite;
 * and /factors*, /user/identities* answering as GoTrue does with MFA enrolment and manual linking off.
 * Phone (`[auth.sms]`): /signup, /otp, /verify (sms, phone_change), PUT /user, /resend and password sign-in
 * take a `phone`; codes go out through the Send SMS hook (local/auth/sms.ts, docs/phone.md).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { MountContext } from "../mounts.ts";
import { type AuthConfig, loadAuthConfig } from "./config.ts";
import type { AuthEnv, Emulator } from "./context.ts";
import { AuthError, errorResponse } from "./errors.ts";
import { gatewayAuthorization } from "./guards.ts";
import { createRateLimiters } from "./ratelimit.ts";
import { adminRoutes } from "./routes/admin.ts";
import { adminLinkRoutes } from "./routes/admin_links.ts";
import { consentRoutes } from "./routes/consent.tsx";
import { extraRoutes } from "./routes/extras.ts";
import { metaRoutes } from "./routes/meta.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { otpRoutes } from "./routes/otp.ts";
import { recoverRoutes } from "./routes/recover.ts";
import { signupRoutes } from "./routes/signup.ts";
import { tokenRoutes } from "./routes/token.ts";
import { userRoutes } from "./routes/user.ts";
import { verifyRoutes } from "./routes/verify.ts";

export type { AuthConfig } from "./config.ts";
export type { Emulator } from "./context.ts";

export interface AuthEmulatorOptions {
  /** Settings overriding supabase/config.toml's (tests: short reuse intervals, low rate limits). */
  config?: Partial<AuthConfig>;
  /** The emulator's clock (tests move it forward); defaults to the wall clock. */
  now?: () => Date;
}

/** Builds the emulator's state: settings, clock and rate limiters. */
export function createEmulator(ctx: MountContext, options: AuthEmulatorOptions = {}): Emulator {
  const config = { ...loadAuthConfig(), ...options.config };
  const now = options.now ?? (() => new Date());
  return {
    sql: ctx.sql,
    keys: ctx.keys,
    config,
    gatewayUrl: ctx.gatewayUrl,
    externalUrl: `${ctx.gatewayUrl}/auth/v1`,
    limits: createRateLimiters(config, now),
    now,
  };
}

/** The Hono app to mount at "/auth/v1". */
export function createAuthEmulator(ctx: MountContext, options: AuthEmulatorOptions = {}): Hono {
  const emu = createEmulator(ctx, options);
  const app = new Hono<AuthEnv>();
  app.use(
    "*",
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS"],
      exposeHeaders: ["X-Total-Count", "Link", "X-Supabase-Api-Version", "x-sb-error-code"],
      maxAge: 3600,
    }),
  );
  app.use("*", async (c, next) => {
    c.set("emu", emu);
    c.set("authorization", gatewayAuthorization(emu, c.req.raw.headers));
    await next();
  });
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new AuthError(404, "not_found", "Not Found")));
  metaRoutes(app);
  signupRoutes(app);
  tokenRoutes(app);
  userRoutes(app);
  otpRoutes(app);
  recoverRoutes(app);
  verifyRoutes(app);
  adminRoutes(app);
  adminLinkRoutes(app);
  oauthRoutes(app);
  consentRoutes(app);
  extraRoutes(app);
  return app as unknown as Hono;
}
