/**
 * A TCP proxy in front of Postgres that counts what its clients cost the server: every ReadyForQuery the
 * server sends ends one Sync (one statement as postgres.js sends them), a ReadyForQuery that leaves a
 * transaction block ends a transaction, and a Sync (or simple Query) sent while nothing is outstanding on its
 * connection starts a round trip. Point a pool at `url` to count one flow's round trips, transactions and
 * statements.
 */

export interface WireCounts {
  /** ReadyForQuery messages: statements (BEGIN and COMMIT included), after each connection's start-up. */
  statements: number;
  /** Transactions that ended (explicit blocks, and single statements outside a block). */
  transactions: number;
  /** Times a client sent statements with none of its earlier ones unanswered (it had waited for the server). */
  roundTrips: number;
}

export interface WireCounter {
  url: string;
  counts: WireCounts;
  reset(): void;
  close(): Promise<void>;
}

/** Splits a byte stream into messages (type byte, then an int32 length that counts itself). */
function messages(onMessage: (type: number, body: Uint8Array) => void, untypedFirst: boolean) {
  let buffer = new Uint8Array(0);
  let first = untypedFirst;
  return (chunk: Uint8Array) => {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    let at = 0;
    for (;;) {
      const head = first ? 0 : 1;
      if (joined.length - at < head + 4) break;
      const length = new DataView(joined.buffer, joined.byteOffset + at + head, 4).getInt32(0);
      if (joined.length - at < head + length) break;
      if (!first) onMessage(joined[at], joined.subarray(at + 5, at + 1 + length));
      first = false;
      at += head + length;
    }
    buffer = joined.slice(at);
  };
}

/** Counts one connection: the client's Syncs and Queries, the server's ReadyForQuery. */
function connectionCounter(counts: WireCounts) {
  let started = false;
  let outstanding = 0;
  return {
    client: messages((type) => {
      if (type !== 0x53 /* Sync */ && type !== 0x51 /* Query */) return;
      if (started && outstanding === 0) counts.roundTrips++;
      outstanding++;
    }, true),
    server: messages((type, body) => {
      if (type !== 0x5a /* ReadyForQuery */) return;
      if (started) {
        outstanding = Math.max(0, outstanding - 1);
        counts.statements++;
        if (String.fromCharCode(body[0]) === "I") counts.transactions++;
      }
      started = true;
    }, false),
  };
}

/** Starts the proxy on a free port in front of `databaseUrl` (a postgres:// URL on TCP). */
export function startWireCounter(databaseUrl: string): WireCounter {
  const target = new URL(databaseUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const counts: WireCounts = { statements: 0, transactions: 0, roundTrips: 0 };
  const open = new Set<Deno.Conn>();
  const accepting = (async () => {
    for await (const client of listener) {
      const server = await Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) });
      open.add(client);
      open.add(server);
      const count = connectionCounter(counts);
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
      pipe(client, server, count.client);
      pipe(server, client, count.server);
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
      counts.roundTrips = 0;
    },
    async close() {
      listener.close();
      for (const conn of open) conn.close();
      open.clear();
      await accepting;
    },
  };
}
