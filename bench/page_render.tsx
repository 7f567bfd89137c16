/**
 * What rendering a signed-in page costs the app, without HTTP or Postgres: the wallet page (20 history rows
 * with counterparties), the transfer form and the profile page, each rendered inside the Layout for a
 * signed-in viewer, in fa and en, timed in this process (µs per render, median of ROUNDS rounds), and the
 * same with an empty page body (the Layout alone). `deno run -A bench/page_render.tsx` (after
^ * `deno task build`). Used to find what a page's render costs; `deno task bench:pages` is the end-to-end
 * figure.
 */
import { cpuUsage } from "node:process";
import { renderToString } from "preact-render-to-string";
import type { ComponentChildren } from "preact";
import { Layout } from "../components/Layout.tsx";
import { WalletPage } from "../components/wallet/WalletPage.tsx";
import { TransferForm } from "../components/wallet/TransferPage.tsx";
import { ProfilePage } from "../components/users/ProfilePage.tsx";
import { type Locale, translate } from "../lib/i18n/mod.ts";
import type { Translate } from "../components/ui/types.ts";
import type { LedgerEntry } from "../lib/wallet/entries.ts";
import type { Counterparty } from "../lib/wallet/counterparties.ts";
import type { Viewer } from "../lib/auth/viewer.ts";
import { historyRows } from "../components/wallet/EntriesTable.tsx";
import { median } from "./profile.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 5);
const RENDERS = Number(Deno.env.get("BENCH_RENDERS") ?? 400);
/** BENCH_ONLY=/wallet renders only that page (for --cpu-prof). */
const ONLY = Deno.env.get("BENCH_ONLY");

const viewer: Viewer = {
  id: "00000000-0000-4000-8000-000000000001",
  email: "user@pishkhan.local",
  phone: "",
  role: "user",
  permissions: [],
};

function entries(): { entries: LedgerEntry[]; counterparties: Map<string, Counterparty> } {
  const list: LedgerEntry[] = [];
  const counterparties = new Map<string, Counterparty>();
  for (let i = 0; i < 20; i++) {
    const id = String(1000 - i);
    list.push({
      transactionId: id,
      leg: 1,
      kind: i === 19 ? "topup" : "transfer",
      amount: (i % 2 ? -1n : 1n) * BigInt(12_340 + i * 10),
      createdAt: new Date(Date.UTC(2026, 10, 29, 10, i)),
      metadata: i % 3 === 0 ? { note: "ناهار" } : {},
      reverses: null,
    });
    if (i !== 19) {
      counterparties.set(id, {
        userId: "00000000-0000-4000-8000-000000000002",
        name: "رضا",
        masked: "r***@x.ir",
      });
    }
  }
  return { entries: list, counterparties };
}

function page(locale: Locale, t: Translate, path: string, body: ComponentChildren): string {
  return "<!doctype html>" + renderToString(
    <Layout locale={locale} title="x" path={path} t={t} viewer={viewer} unread={3}>{body}</Layout>,
  );
}

const pages: Record<string, (locale: Locale, t: Translate) => string> = {
  "layout only": (locale, t) => page(locale, t, "/wallet", null),
  "/wallet": (locale, t) => {
    const { entries: rows, counterparties } = entries();
    return page(
      locale,
      t,
      "/wallet",
      <WalletPage
        t={t}
        locale={locale}
        wallet={{ balance: 99_000_000n, held: 0n, available: 99_000_000n }}
        entries={rows}
        filters={{}}
        nextCursor="abc"
        counterparties={counterparties}
      />,
    );
  },
  // The same page with the history rows' cache emptied before each render: every row rendered anew, as for
  // a history not seen since the app started (the bench's repeated /wallet renders otherwise reuse them).
  "/wallet cold rows": (locale, t) => {
    historyRows.clear();
    return pages["/wallet"](locale, t);
  },
  "/wallet/transfer": (locale, t) =>
    page(
      locale,
      t,
      "/wallet/transfer",
      <TransferForm
        t={t}
        locale={locale}
        values={{}}
        errors={{}}
        available={99_000_000n}
        minimum={10_000n}
      />,
    ),
  "/profile": (locale, t) =>
    page(
      locale,
      t,
      "/profile",
      <ProfilePage
        t={t}
        locale={locale}
        email={viewer.email}
        profile={{
          fullName: "رضا",
          phone: null,
          locale,
          notifyEmail: true,
          notifySms: false,
          notifyWhatsapp: false,
        }}
      />,
    ),
};

if (import.meta.main) {
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, render] of Object.entries(pages).filter(([n]) => !ONLY || n === ONLY)) {
      for (const locale of ["fa", "en"] as const) {
        const t: Translate = (key, params) => translate(locale, key, params);
        render(locale, t); // warm
        // CPU time of this process (not wall time: the machine is shared), per render.
        const started = cpuUsage();
        for (let i = 0; i < RENDERS; i++) render(locale, t);
        const { user, system } = cpuUsage(started);
        const us = (user + system) / RENDERS;
        const key = `${name} ${locale}`;
        results.set(key, [...results.get(key) ?? [], us]);
      }
    }
  }
  console.log(`render only, ${RENDERS} renders x ${ROUNDS} rounds; load ${Deno.loadavg().join(" ")}`);
  for (const [key, values] of results) {
    console.log(
      `  ${key.padEnd(24)} ${median(values).toFixed(0).padStart(6)} µs (${
        values.map((v) => v.toFixed(0)).join(", ")
      })`,
    );
  }
}

export { pages };
