/**
 * `deno task start`: the whole local stack on one machine — PostgreSQL, platform shim, migrations (Supabase
 * CLI), seed, gateway on :54321, worker, and the web app on :8000. Ctrl-C stops everything.
 * With SUPABASE_URL set (hosted mode) it serves only the web app against the hosted project.
 */
import { type Config, ConfigError, loadConfig } from "../lib/config.ts";
import { startCluster } from "./postgres.ts";
import { migrate } from "./migrate.ts";
import { build } from "./build.ts";
import { startStack } from "./stack.ts";
import { localMounts } from "./mounts.ts";
import { seedDemo, SEEDED_ACCOUNTS } from "./seed_accounts.ts";

const root = new URL("..", import.meta.url).pathname;
Deno.chdir(root);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
const say = (line: string) => console.log(`[pishkhan] ${line}`);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  Deno.exit(1);
}

await build();
if (config.mode === "hosted") {
  const { default: app } = await import("../main.ts");
  Deno.serve({ hostname: "0.0.0.0", port: config.PORT }, app.fetch);
  say(`hosted mode: web app on port ${config.PORT} against ${config.supabaseUrl}`);
  const { reportLiveFeeds } = await import("../lib/db/listen.ts");
  await reportLiveFeeds(say);
} else {
  await startLocal();
}

async function startLocal() {
  await Deno.mkdir(".local", { recursive: true });
  const cluster = config.DATABASE_URL ? undefined : await startCluster({ dir: `${root}.local/pg`, log: say });
  const databaseUrl = config.DATABASE_URL ?? cluster!.url;
  // `deno task dev` restarts on every file change: the database stays up between restarts (the next start
  // reuses it), and is stopped by `deno task start`'s Ctrl-C or `pg_ctl stop -D .local/pg/data` (as root in a
  // folder the postgres user cannot enter, the cluster lives where .local/pg/LOCATION says: see postgres.ts).
  const keepDatabase = Deno.env.get("PISHKHAN_KEEP_DATABASE") === "1";
  const stopCluster = async () => {
    if (!keepDatabase) await cluster?.stop();
  };
  // Listen before anything starts: a Ctrl-C during start-up must stop what is already running too.
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await stack?.stop();
    await stopCluster();
    say("stopped");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  try {
    // supabase/seed.sql runs once the seeded accounts exist (seedDemo): its demo data belongs to them.
    await migrate(databaseUrl);
    say(`database ready (${elapsed()})`);
    stack = await startStack({
      databaseUrl,
      gatewayPort: 54321,
      appPort: config.PORT,
      keyFile: `${root}.local/jwt-signing-key.json`,
      mounts: localMounts,
    });
    await Deno.writeTextFile(
      ".local/supabase.env",
      Object.entries(stack.env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n",
    );
    await seedDemo(stack);
    printBanner(stack.appUrl, stack.gatewayUrl, databaseUrl);
    const { reportLiveFeeds } = await import("../lib/db/listen.ts");
    await reportLiveFeeds(say);
  } catch (error) {
    await stopCluster();
    throw error;
  }
}

function printBanner(appUrl: string, gatewayUrl: string, databaseUrl: string) {
  say(`ready in ${elapsed()}`);
  console.log(`
  Web app        ${appUrl}
  Supabase API   ${gatewayUrl}   (auth: /auth/v1, functions: /functions/v1/<name>)
  Outbox         ${gatewayUrl}/_dev/outbox   (emails, SMS and WhatsApp sent locally)
  Zarinpal       ${gatewayUrl}/sandbox/zarinpal/pg/v4/payment/
  Database       ${databaseUrl}
  Settings       .local/supabase.env

  Seeded accounts (password ${SEEDED_ACCOUNTS.password}):
${SEEDED_ACCOUNTS.emails.map((e) => `    ${e}`).join("\n")}

  Ctrl-C stops everything.
`);
}
