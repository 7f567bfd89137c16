/**
 * `deno task test`: one throwaway PostgreSQL with shim + migrations, then unit and integration tests,
 * pgTAP tests (pg_prove), and Playwright e2e in Chromium. Ends with the line `N passed, N failed`.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { build } from "../local/build.ts";
import { chromiumPath } from "./_support/browser.ts";

const root = new URL("..", import.meta.url).pathname;
Deno.chdir(root);
const started = performance.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const strict = Deno.env.get("CI") === "true";

function warn(message: string) {
  console.log(`\n!!! ${message}\n`);
}

/** Runs a command, echoing its output, and returns the output for counting. */
async function runEchoed(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ ok: boolean; out: string }> {
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "inherit" }).spawn();
  let out = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    const text = decoder.decode(chunk, { stream: true });
    out += text;
    await Deno.stdout.write(chunk);
  }
  return { ok: (await child.status).success, out };
}

/** Counts from Deno's summary line: `ok | 12 passed (3 steps) | 0 failed (2s)`. */
function countDeno(out: string, ok: boolean) {
  // deno-lint-ignore no-control-regex -- strips ANSI colours from the runner output
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  const summary = [...plain.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)].at(-1);
  if (!summary) {
    totals.failed += 1; // the runner itself failed (type error, crash) before summarising
    return;
  }
  totals.passed += Number(summary[1]);
  totals.failed += Number(summary[2]) + (ok || Number(summary[2]) > 0 ? 0 : 1);
  const ignored = plain.match(/(\d+) ignored/);
  if (ignored) totals.skipped += Number(ignored[1]);
}

/** Counts from pg_prove's verbose TAP: `ok N` / `not ok N` lines. */
function countTap(out: string, ok: boolean) {
  const passed = out.match(/^\s*ok \d+/gm)?.length ?? 0;
  const failed = out.match(/^\s*not ok \d+/gm)?.length ?? 0;
  totals.passed += passed;
  totals.failed += failed + (ok || failed > 0 ? 0 : 1);
}

function hasCommand(name: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${name}`], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Loads supabase/tests/_helpers/*.sql (schema `tests`: making users, acting as them) into the test
 * database. They are test code, so they are no migration; pg_prove runs only the top-level *.sql files.
 */
async function loadTestHelpers(databaseUrl: string) {
  const folder = "supabase/tests/_helpers";
  const files = [...Deno.readDirSync(folder)].filter((f) => f.name.endsWith(".sql")).map((f) => f.name)
    .sort();
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const file of files) await sql.unsafe(await Deno.readTextFile(`${folder}/${file}`));
  } finally {
    await sql.end();
  }
}

async function pgTap(databaseUrl: string, env: Record<string, string>) {
  // Files only: supabase/tests/_helpers holds the helpers loaded above, not tests.
  const files = [...Deno.readDirSync("supabase/tests")].filter((f) => f.isFile && f.name.endsWith(".sql"))
    .map((f) => f.name)
    .sort();
  if (files.length === 0) return;
  if (!hasCommand("pg_prove")) {
    warn("pg_prove is not installed: SKIPPING pgTAP tests (CI installs the pgtap package).");
    if (strict) totals.failed += 1;
    return;
  }
  await loadTestHelpers(databaseUrl);
  const url = new URL(databaseUrl);
  const connection = ["-h", url.hostname, "-p", url.port, "-U", url.username, "-d", url.pathname.slice(1)];
  // Every file sees pgTAP's functions (extensions schema) without restating the search path.
  const result = await runEchoed("pg_prove", [
    "--verbose",
    ...connection,
    ...files.map((f) => `supabase/tests/${f}`),
  ], { ...env, PGOPTIONS: "-c search_path=public,extensions" });
  countTap(result.out, result.ok);
}

const cluster = await startCluster({
  dir: await Deno.makeTempDir({ prefix: "pishkhan-test-" }),
  ephemeral: true,
});
// Ctrl-C must not leave the throwaway server running (the child test runner gets the signal too).
Deno.addSignalListener("SIGINT", async () => {
  await cluster.destroy();
  Deno.exit(130);
});
try {
  await Promise.all([migrate(cluster.url), build()]);
  const env = { ...Deno.env.toObject(), DATABASE_URL: cluster.url, LOG_LEVEL: "silent", PISHKHAN_TEST: "1" };
  delete (env as Record<string, string | undefined>).SUPABASE_URL;
  const filter = Deno.args.length ? Deno.args : ["tests/unit/", "tests/integration/"];
  const main = await runEchoed(Deno.execPath(), ["test", "-A", "--parallel", ...filter], {
    ...env,
    DENO_JOBS: "2",
  });
  countDeno(main.out, main.ok);

  if (Deno.args.length === 0) {
    // Tests that measure the database (plans at 100k rows) run alone: parallel files' writes skew them.
    const serial = await runEchoed(Deno.execPath(), ["test", "-A", "tests/serial/"], env);
    countDeno(serial.out, serial.ok);
    await pgTap(cluster.url, env);
    if (chromiumPath()) {
      const e2e = await runEchoed(Deno.execPath(), ["test", "-A", "tests/e2e/"], env);
      countDeno(e2e.out, e2e.ok);
    } else {
      warn("Chromium was not found (/usr/bin/chromium): SKIPPING e2e tests (CI installs it).");
      if (strict) totals.failed += 1;
    }
  }
  // Whatever ran before, the money must still add up (tests/_support/invariants.ts).
  const final = await runEchoed(Deno.execPath(), ["test", "-A", "tests/final/"], env);
  countDeno(final.out, final.ok);
} finally {
  await cluster.destroy();
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(`\ntest run took ${seconds}s${totals.skipped ? `, ${totals.skipped} ignored` : ""}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
Deno.exit(totals.failed === 0 ? 0 : 1);
