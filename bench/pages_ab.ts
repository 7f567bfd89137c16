/**
 * This checkout's signed-in pages (B) against another checkout's (A: e.g. the code before a change), both
 * served at once against one cluster (migrated with this checkout's migrations, which must include A's) for
 * one user, taking turns under wrk (8 connections, BENCH_PAGE_SECONDS each, BENCH_ROUNDS rounds, A and B in
 * alternating order). Per page and round: B / A in requests/s, and A / B in the app's CPU per request (from
 * /proc), so a busy machine slows both alike. Then /wallet at 32 connections on each (p99). Both checkouts
 * need `deno task build`. `deno run -A bench/pages_ab.ts /path/to/other/checkout`.
 */
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { startServer, stopServer } from "./http_transfers.ts";
import { cpuModel, loadAverage, median, PROFILE_SETTINGS } from "./profile.ts";
import { makeUser, report, signInCookie, wrk } from "./pages.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const PAGES =
  (Deno.env.get("BENCH_PAGES") ?? "/wallet,/wallet/transfer,/wallet/withdrawals,/profile,/tickets")
    .split(",");

const other = Deno.args[0];
if (!other) throw new Error("usage: deno run -A bench/pages_ab.ts /path/to/other/checkout");
const { startServer: startOther } = await import(`${other.replace(/\/$/, "")}/bench/http_transfers.ts`) as {
  startServer: typeof startServer;
};

const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-pages-ab-" });
const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
const servers: ReturnType<typeof startServer>[] = [];
try {
  await migrate(cluster.url);
  const a = startOther(cluster.url);
  servers.push(a);
  const b = startServer(cluster.url);
  servers.push(b);
  await Promise.all([a.ready, b.ready]);
  // One user; each app names its session cookie after its own Auth URL, so each gets its own sign-in.
  const { cookie, email } = await makeUser(b.gatewayUrl, b.appUrl, cluster.url);
  const cookies = { A: await signInCookie(a.appUrl, email), B: cookie };
  const headersOf = (name: "A" | "B") => ({
    cookie: cookies[name],
    accept: "text/html",
    "accept-language": "fa",
  });
  const side = { A: a, B: b };
  console.log(
    `pages A/B: A = ${other}, B = this checkout; ${ROUNDS} rounds; CPU: ${cpuModel()}; load ${loadAverage()}`,
  );
  for (const page of PAGES) {
    for (const name of ["A", "B"] as const) {
      report(
        await wrk(side[name].appUrl, side[name].child.pid, dir, page, headersOf(name)),
        `warm-up ${name}: `,
      );
    }
  }
  const rps = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const page of PAGES) {
      const order = round % 2 ? (["A", "B"] as const) : (["B", "A"] as const);
      const runs: Record<string, Awaited<ReturnType<typeof wrk>>> = {};
      for (const name of order) {
        const s = side[name];
        runs[name] = report(
          await wrk(s.appUrl, s.child.pid, dir, page, headersOf(name)),
          `round ${round} ${name}: `,
        );
      }
      rps.set(page, [...rps.get(page) ?? [], runs.B.rps / runs.A.rps]);
      cpu.set(page, [...cpu.get(page) ?? [], runs.A.appCpuMs / runs.B.appCpuMs]);
    }
    console.log(`  load ${loadAverage()}`);
  }
  const list = (v: number[]) => v.map((r) => r.toFixed(2)).join(", ");
  for (const page of PAGES) {
    console.log(
      `  ${page.padEnd(20)} B/A requests/s ${median(rps.get(page)!).toFixed(2)}x (${
        list(rps.get(page)!)
      }); ` +
        `A/B app CPU per request ${median(cpu.get(page)!).toFixed(2)}x (${list(cpu.get(page)!)})`,
    );
  }
  for (const name of ["A", "B"] as const) {
    const s = side[name];
    report(await wrk(s.appUrl, s.child.pid, dir, "/wallet", headersOf(name), 32), `${name} 32 connections: `);
  }
  console.log(`  load ${loadAverage()}`);
} finally {
  for (const s of servers) await stopServer(s);
  await cluster.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
