/**
 * Where ledger.transfer_as's Postgres time goes: one throwaway cluster with pg_stat_statements (track = all)
 * and track_functions = pl, 16 users with live Auth sessions and funded wallets, a history of transfers,
 * then TRANSFERS calls of the app's statement (claims as text, recipient by email) from one connection,
 * profiled, and the server's CPU per call from /proc beside ledger.post_transfer's, alternating rounds.
 * `deno run -A bench/transfer_as_profile.ts` (TRANSFERS, default 3000).
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import {
  loadAverage,
  printProfile,
  PROFILE_SETTINGS,
  profiled,
  serverCpuMs,
  trackingOff,
} from "./profile.ts";

const USERS = 16;
const TRANSFERS = Number(Deno.env.get("TRANSFERS") ?? 3000);

const dir = await Deno.makeTempDir({ prefix: "transfer-as-profile-" });
const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
try {
  await migrate(cluster.url);
  await trackingOff(cluster.url);
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await sql`create table public.prof_users (n int primary key, id uuid not null, email text not null,
      claims text not null)`;
    await sql`insert into public.prof_users
      select n, gen_random_uuid(), 'prof-' || n || '@bench.local', '' from generate_series(1, ${USERS}) n`;
    await sql`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
        raw_user_meta_data, created_at, updated_at)
      select id, 'authenticated', 'authenticated', email, now(),
        '{"provider":"email","providers":["email"]}', '{}', now(), now() from public.prof_users`;
    await sql`update public.prof_users p set claims = json_build_object('sub', p.id, 'role', 'authenticated',
      'aud', 'authenticated', 'email', p.email, 'session_id', s.id, 'user_role', 'user', 'aal', 'aal1',
      'exp', 4102444800, 'iat', 1700000000, 'is_anonymous', false,
      'app_metadata', json_build_object('provider', 'email', 'providers', json_build_array('email')),
      'user_metadata', json_build_object('email_verified', true))::text
      from (select gen_random_uuid() as id, u.id as user_id from public.prof_users u) s where s.user_id = p.id`;
    await sql`insert into auth.sessions (id, user_id, created_at, updated_at)
      select (claims::jsonb ->> 'session_id')::uuid, id, now(), now() from public.prof_users`;
    await sql`select count(ledger.post_credit(id, 1000000000000, 'topup', 'seed:' || id, '{}')) from public.prof_users`;
    await sql`select count(ledger.post_transfer(a.id, b.id, 1 + (random() * 1000)::bigint, 'history:' || g || ':' || a.n))
      from generate_series(1, 500) as g, public.prof_users a join public.prof_users b on b.n = a.n % ${USERS} + 1`;
    await sql`vacuum analyze`;
    const users = await sql<
      { id: string; email: string; claims: string }[]
    >`select id, email, claims from public.prof_users order by n`;
    const pair = (i: number) => [users[i % USERS], users[(i * 7 + 1 + (i % (USERS - 1))) % USERS]];
    const transferAs = async (count: number) => {
      for (let i = 0; i < count; i++) {
        let [a, b] = pair(i);
        if (a.id === b.id) b = users[(i + 1) % USERS];
        await sql`select transaction_id, created_at, created from ledger.transfer_as(${a.claims}, ${b.email},
          ${10 + (i % 990)}, ${crypto.randomUUID()}, null)`;
      }
      return count;
    };
    const postTransfer = async (count: number) => {
      for (let i = 0; i < count; i++) {
        let [a, b] = pair(i);
        if (a.id === b.id) b = users[(i + 1) % USERS];
        await sql`select ledger.post_transfer(${a.id}::uuid, ${b.id}::uuid, ${
          10 + (i % 990)
        }::bigint, ${crypto.randomUUID()})`;
      }
      return count;
    };
    await transferAs(300);
    await postTransfer(300);
    console.log(`load ${loadAverage()}`);
    for (let round = 1; round <= 3; round++) {
      for (const [name, run] of [["transfer_as", transferAs], ["post_transfer", postTransfer]] as const) {
        const before = await serverCpuMs(cluster.dir);
        const t0 = performance.now();
        await run(TRANSFERS);
        const ms = performance.now() - t0;
        const cpu = (await serverCpuMs(cluster.dir)) - before;
        console.log(
          `round ${round} ${name}: server CPU ${(cpu / TRANSFERS).toFixed(3)} ms/call, ` +
            `${(ms / TRANSFERS).toFixed(3)} ms elapsed/call, load ${loadAverage()}`,
        );
      }
    }
    printProfile("ledger.transfer_as", await profiled(cluster.url, () => transferAs(TRANSFERS), 25));
  } finally {
    await sql.end();
  }
} finally {
  await cluster.destroy();
}
