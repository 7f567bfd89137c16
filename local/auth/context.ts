/** The Auth emulator's shared state (database, keys, settings, clock, limiters) and its Hono env. */
import type postgres from "postgres";
import type { LocalKeys } from "../keys.ts";
import type { AuthConfig } from "./config.ts";
import type { RateLimiters } from "./ratelimit.ts";
import type { SessionRow, UserRow } from "./users.ts";
import type { AccessClaims } from "./tokens.ts";

/** A connection or an open transaction. */
export type Db = postgres.Sql | postgres.TransactionSql;

export interface Emulator {
  sql: postgres.Sql;
  keys: LocalKeys;
  config: AuthConfig;
  gatewayUrl: string;
  /** GoTrue's API_EXTERNAL_URL and JWT issuer: `<gateway>/auth/v1`. */
  externalUrl: string;
  limits: RateLimiters;
  now(): Date;
}

export interface AuthEnv {
  Variables: {
    emu: Emulator;
    /** The Authorization header after the gateway's key rule (spec §1). */
    authorization: string | undefined;
    claims: AccessClaims;
    user: UserRow;
    session: SessionRow | undefined;
  };
}

/** What a request tells about its client, stored on sessions like GoTrue's GrantParams. */
export interface GrantParams {
  userAgent: string | null;
  ip: string | null;
}
