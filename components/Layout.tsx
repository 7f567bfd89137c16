/** The page shell: document head, header with navigation and language switcher, main, footer. */
import type { ComponentChildren } from "preact";
import { direction, type Locale, type MessageKey } from "../lib/i18n/mod.ts";
import { islandBundlePath } from "../lib/http/assets.ts";
import { LocaleSwitcherIsland, NotificationBellIsland } from "./islands.ts";
import { AccountNav } from "./auth/AccountNav.tsx";
import type { Viewer } from "../lib/auth/viewer.ts";

export interface LayoutProps {
  locale: Locale;
  title: string;
  path: string;
  t: (key: MessageKey) => string;
  children: ComponentChildren;
  /** The signed-in user, when there is one (lib/auth/session.ts). */
  viewer?: Viewer;
  /** The viewer's unread notifications (the bell's number before it goes live). */
  unread?: number;
}

/** The header's links: the wallet and tickets for a signed-in user, then the account's links. */
function NavLinks({ t, path, viewer }: Pick<LayoutProps, "t" | "path" | "viewer">) {
  const current = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`) ? "page" : undefined;
  return (
    <>
      {viewer && <a href="/wallet" aria-current={current("/wallet")}>{t("nav.wallet")}</a>}
      {viewer && <a href="/tickets" aria-current={current("/tickets")}>{t("tickets.nav")}</a>}
      <AccountNav t={t} path={path} viewer={viewer} />
    </>
  );
}

export function Layout({ locale, title, path, t, children, viewer, unread }: LayoutProps) {
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link
          rel="preload"
          href="/static/build/fonts/vazirmatn-arabic-400-normal.woff2"
          as="font"
          crossorigin="anonymous"
        />
        <link rel="stylesheet" href="/static/css/app.css" />
        <link rel="stylesheet" href="/static/css/auth.css" />
        <link rel="stylesheet" href="/static/css/payments.css" />
        <link rel="stylesheet" href="/static/css/mobile.css" />
        <link rel="stylesheet" href="/static/css/input.css" />
        <link rel="stylesheet" href="/static/css/money.css" />
        <link rel="stylesheet" href="/static/css/notifications.css" />
        <link rel="icon" href="/static/icons/logo.svg" type="image/svg+xml" />
        <script type="module" src={islandBundlePath()} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">{t("nav.skip")}</a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href="/">
              <img src="/static/icons/logo.svg" alt="" width="32" height="32" />
              <span>{t("app.name")}</span>
            </a>
            {/* Wide screens show the links in the row; phones fold them into a disclosure (no JS needed). */}
            <nav aria-label={t("nav.home")} class="site-nav">
              <NavLinks t={t} path={path} viewer={viewer} />
            </nav>
            {viewer && (
              <NotificationBellIsland
                locale={locale}
                count={unread ?? 0}
                href="/notifications"
                events="/api/v1/notifications/events"
                label={t("notifications.bell")}
                unreadText={t("notifications.bell.unread")}
                latestText={t("notifications.bell.latest")}
              />
            )}
            <LocaleSwitcherIsland
              current={locale}
              label={t("nav.language")}
              applyLabel={t("nav.language.apply")}
              names={{ fa: t("locale.fa"), en: t("locale.en") }}
              returnTo={path}
            />
            <details class="site-menu">
              <summary>
                <span class="menu-icon" aria-hidden="true"></span>
                <span class="visually-hidden">{t("nav.menu")}</span>
              </summary>
              <nav aria-label={t("nav.menu")} class="site-menu-links">
                <NavLinks t={t} path={path} viewer={viewer} />
              </nav>
            </details>
          </div>
        </header>
        <main id="main" class="container">{children}</main>
        <footer class="site-footer">
          <div class="container">{t("home.footer")}</div>
        </footer>
      </body>
    </html>
  );
}
