/**
 * A TCP proxy in front of Postgres that counts what its clients cost the server: every ReadyForQuery the
 * server sends ends one Sync (one statement as postgres.js sends them), and a ReadyForQuery that leaves a
 * transaction block ends a transaction. Point a pool at `url` to count one flow's transactions and statements.
 */

export interface WireCounts {
  /** ReadyForQuery messages: statements (BEGIN and COMMIT included), after each connection's start-up. */
  statements: number;
  /** Transactions that ended (explicit blocks, and single statements outside a block). */
  transactions: number;
}

export interface WireCounter {
  url: string;
  counts: WireCounts;
  reset(): void;
  close(): Promise<void>;
}

/** Counts the server's ReadyForQuery messages on one connection, as bytes arrive. */
function serverStream(counts: WireCounts) {
  let buffer = new Uint8Array(0);
  let started = false;
  let status = "I";
  return (chunk: Uint8Array) => {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    let at = 0;
    while (joined.length - at >= 5) {
      const length = new DataView(joined.buffer, joined.byteOffset + at + 1, 4).getInt32(0);
      if (joined.length - at < 1 + length) break;
      if (joined[at] === 0x5a /* Z */) {
        const next = String.fromCharCode(joined[at + 5]);
        if (started) {
          counts.statements++;
          if (next === "I") counts.transactions++;
        }
        started = true;
        status = next;
      }
      at += 1 + length;
    }
    buffer = joined.slice(at);
    return status;
  };
}

/** Starts the proxy on a free port in front of `databaseUrl` (a postgres:// URL on TCP). */
export function startWireCounter(databaseUrl: string): WireCounter {
  const target = new URL(databaseUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const counts: WireCounts = { statements: 0, transactions: 0 };
  const open = new Set<Deno.Conn>();
  const accepting = (async () => {
    for await (const client of listener) {
      const server = await Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) });
      open.add(client);
      open.add(server);
      const count = serverStream(counts);
      const pipe = async (from: Deno.Conn, to: Deno.Conn, inspect?: (chunk: Uint8Array) => unknown) => {
        const bytes = new Uint8Array(64 * 1024);
        try {
          for (;;) {
            const n = await from.read(bytes);
            if (n === null) break;
            const chunk = bytes.slice(0, n);
            inspect?.(chunk);
            for (let written = 0; written < n;) written += await to.write(chunk.subarray(written));
          }
        } catch {
          // a side closed
        } finally {
          for (const conn of [from, to]) {
            if (open.delete(conn)) conn.close();
          }
        }
      };
      pipe(client, server);
      pipe(server, client, count);
    }
  })().catch(() => {});
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((listener.addr as Deno.NetAddr).port);
  return {
    url: url.href,
    counts,
    reset() {
      counts.statements = 0;
      counts.transactions = 0;
    },
    async close() {
      listener.close();
      for (const conn of open) conn.close();
      open.clear();
      await accepting;
    },
  };
}
