/**
 * The local cluster starts from a checkout inside a 0700 folder (a root user's home, a `mktemp -d` folder):
 * as root, initdb and postgres run as the `postgres` user, who cannot enter such a folder, so the cluster lives
 * in a stand-in under /var/tmp that start, stop and reuse all find again.
 */
import { assert, assertEquals } from "@std/assert";
import { existsSync } from "node:fs";
import postgres from "postgres";
import {
  clusterLocation,
  LOCATION_FILE,
  postgresCanReach,
  standInFor,
  startCluster,
} from "../../local/postgres.ts";

const isRoot = Deno.uid() === 0;

/** A checkout's `.local/pg` inside a fresh 0700 folder, as `d=$(mktemp -d); git clone … $d/app` makes. */
async function privateCheckoutPg(): Promise<{ top: string; pg: string }> {
  const top = await Deno.makeTempDir({ prefix: "pishkhan-private-" });
  await Deno.chmod(top, 0o700);
  const pg = `${top}/app/.local/pg`;
  await Deno.mkdir(pg, { recursive: true });
  return { top, pg };
}

Deno.test("[local cluster] location — a folder the postgres user cannot reach gets a stand-in it can", async () => {
  const { top, pg } = await privateCheckoutPg();
  try {
    if (!isRoot) {
      assertEquals(clusterLocation(pg), pg, "a normal user runs postgres itself: the folder is used as is");
      return;
    }
    assert(!postgresCanReach(pg), "the postgres user must not be able to enter a 0700 root folder");
    const location = clusterLocation(pg);
    assertEquals(location, standInFor(pg));
    assert(!location.startsWith(top), `${location} is inside the private folder`);
    assertEquals(clusterLocation(pg), location, "the same checkout always maps to the same stand-in");
    assert(clusterLocation(`${top}/other/.local/pg`) !== location, "another checkout gets its own");
    assertEquals(clusterLocation("/tmp", () => true), "/tmp", "a reachable folder is used as is");
    // Once chosen, the location is remembered: it wins over a fresh check.
    await Deno.writeTextFile(`${pg}/${LOCATION_FILE}`, "/var/tmp/pishkhan-remembered/pg\n");
    assertEquals(clusterLocation(pg, () => true), "/var/tmp/pishkhan-remembered/pg");
  } finally {
    await Deno.remove(top, { recursive: true });
  }
});

Deno.test("[local cluster] start — from a checkout in a 0700 folder, then reused by a second start", async () => {
  const { top, pg } = await privateCheckoutPg();
  const cluster = await startCluster({ dir: pg, ephemeral: true, pgCron: false });
  try {
    if (isRoot) {
      assertEquals(cluster.dir, standInFor(pg));
      assert(postgresCanReach(cluster.dir), `the postgres user cannot reach ${cluster.dir}`);
      assertEquals((await Deno.readTextFile(`${pg}/${LOCATION_FILE}`)).trim(), cluster.dir);
    }
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    try {
      const [{ one }] = await sql`select 1 as one`;
      assertEquals(one, 1);
    } finally {
      await sql.end();
    }
    // `deno task dev` restarts keep the server: the next start must find and reuse the same one.
    const again = await startCluster({ dir: pg, ephemeral: true, pgCron: false });
    assertEquals([again.dir, again.port], [cluster.dir, cluster.port]);
  } finally {
    await cluster.destroy();
    await Deno.remove(top, { recursive: true }).catch(() => {});
  }
  assert(!existsSync(cluster.dir), `${cluster.dir} was left behind`);
});
