/** The web app: middleware and the route table. `export default` serves `deno serve`, tests and start. */
import { Hono, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { csrf } from "hono/csrf";
import { logger } from "hono/logger";
import { serveStatic } from "hono/deno";
import { config } from "./lib/config.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { locale } from "./lib/http/locale.ts";
import { notFound, onError } from "./routes/_error.tsx";
import { staticFiles } from "./lib/http/static.ts";
import { home } from "./routes/index.tsx";
import { healthz } from "./routes/healthz.ts";
import { metrics } from "./routes/metrics.ts";
import { signin } from "./routes/signin.tsx";
import { localeRoute } from "./routes/locale.ts";
import { session } from "./lib/auth/session.ts";
import { profileLocale } from "./lib/users/language.ts";
import { notificationBell } from "./lib/notifications/bell.ts";
import { auth } from "./routes/auth/_routes.ts";
import { profile } from "./routes/profile.tsx";
import { wallet } from "./routes/wallet/_routes.ts";
import { admin } from "./routes/admin/_routes.ts";
import { api } from "./routes/api/v1/_routes.ts";
import { tickets } from "./routes/tickets/_routes.ts";
import { notifications } from "./routes/notifications/_routes.ts";
import { notificationPreferences } from "./routes/profile/notifications.tsx";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  if (config().LOG_LEVEL === "debug" || config().LOG_LEVEL === "info") app.use(logger());
  app.use(securityHeaders);
  app.use(csrf({ origin: (origin) => origin === new URL(config().APP_URL).origin || isLoopback(origin) }));
  app.use("/static/*", staticFiles);
  app.use("/static/*", serveStatic({ root: "./" }));
  app.use(locale);
  app.use(session);
  app.use(profileLocale);
  app.use(notificationBell);
  app.onError(onError);
  app.notFound(notFound);

  // The route table: each prefix is one folder of routes/, with its own guard inside (order does not matter).
  app.route("/", home);
  app.route("/healthz", healthz);
  app.route("/metrics", metrics);
  app.route("/signin", signin);
  app.route("/locale", localeRoute);
  app.route("/auth", auth);
  app.route("/profile/notifications", notificationPreferences);
  app.route("/profile", profile);
  app.route("/wallet", wallet);
  app.route("/tickets", tickets);
  app.route("/notifications", notifications);
  app.route("/admin", admin);
  app.route("/api/v1", api);
  return app;
}

/**
 * The security headers (strict CSP) of the current configuration. Its origins used to be read per request
 * (new URL()s for every response); they change only with the configuration, so the middleware is built once
 * per configuration object (tests and the local stack replace it with setConfig).
 */
let secured: { config: ReturnType<typeof config>; middleware: MiddlewareHandler<AppEnv> } | undefined;

const securityHeaders: MiddlewareHandler<AppEnv> = (c, next) => {
  const current = config();
  if (secured?.config !== current) secured = { config: current, middleware: secureHeadersFor() };
  return secured.middleware(c, next);
};

function secureHeadersFor(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // Ticket attachment thumbnails are signed Storage URLs on the Supabase origin.
      imgSrc: ["'self'", "data:", storageOrigin()],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      // A top-up form answers 303 to Zarinpal's StartPay page, and form-action also governs that redirect.
      formAction: ["'self'", config().supabaseUrl, zarinpalOrigins()],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  });
}

/** Where the browser is sent to pay (API and StartPay hosts), from the current configuration. */
function zarinpalOrigins(): string {
  const urls = [config().zarinpalApiUrl, config().ZARINPAL_STARTPAY_URL].filter((u): u is string => !!u);
  return [...new Set(urls.map((u) => new URL(u).origin))].join(" ");
}

/** The Supabase origin Storage's signed URLs point at, from the current configuration. */
function storageOrigin(): string {
  return new URL(config().supabaseUrl).origin;
}

/** Local runs are reached as 127.0.0.1 or localhost on any port. */
function isLoopback(origin: string): boolean {
  return config().mode === "local" && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin);
}

export default createApp();

// `deno serve main.ts` (hosted): say at once whether live feeds can work on this database connection.
if (import.meta.main) {
  import("./lib/db/listen.ts").then(({ reportLiveFeeds }) => reportLiveFeeds());
}
