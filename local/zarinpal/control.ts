/** The sandbox's test knobs, as an object for in-process tests (routes in control_routes.ts). */
import { maskPan } from "./fees.ts";
import type { Endpoint, Faults } from "./faults.ts";
import type { SandboxPolicy } from "./policy.ts";
import type { SandboxState, Session, SessionStatus } from "./state.ts";

/** A JSON-safe snapshot of one payment session. */
export interface SessionView {
  authority: string;
  merchantId: string;
  amount: number;
  currency: "IRR" | "IRT";
  description: string;
  callbackUrl: string;
  metadata: Record<string, unknown>;
  status: SessionStatus;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  verifiedAt: string | null;
  reversedAt: string | null;
  failedAt: string | null;
  cardPan: string | null;
  cardHash: string | null;
  refId: number | null;
  fee: number;
  feeType: "Merchant" | "Payer";
  verifyCalls: number;
}

export interface SandboxControl {
  /** The next verify answers `code`: a negative Zarinpal code in the error envelope, or an HTTP status ≥ 400. */
  failNextVerify(code: number): void;
  failNext(endpoint: Endpoint, code: number): void;
  /** The next call to `endpoint` hangs `ms` (longer than the client waits), then is processed anyway. */
  timeoutNext(endpoint: Endpoint, ms: number): void;
  /** Every call to `endpoint` waits `ms` first; 0 removes the delay. */
  delay(endpoint: Endpoint, ms: number): void;
  /** While down, `endpoint` (or every endpoint) answers 503. */
  down(endpoint: Endpoint | "all", isDown: boolean): void;
  now(): Date;
  setNow(date: Date | string): void;
  advance(ms: number): void;
  /** Marks a waiting session paid without a browser (the buyer "closed the tab" before the callback). */
  pay(authority: string, options?: { card_pan?: string }): Promise<SessionView>;
  /** Marks a waiting session failed, as if the buyer pressed Fail or Cancel. */
  fail(authority: string): SessionView;
  /** Forgets every session, fault and policy change. */
  reset(): void;
  sessions(): SessionView[];
  session(authority: string): SessionView | undefined;
  verifyCalls(authority: string): number;
  /** "4xx": failures use `status` (default 422); "2xx": failures come back as 200. */
  setStatusMode(mode: "4xx" | "2xx", status?: number): void;
  /** Whether the terminal has a server IP allow-list; without it reverse answers -62. */
  setIpAllowList(enabled: boolean): void;
  /** A disabled merchant gets -11 everywhere. */
  setMerchantActive(merchantId: string, active: boolean): void;
  /** Changes any policy knob (TTL, reverse window, fee model, limits, rate limit…); returns the result. */
  configure(changes: Partial<SandboxPolicy>): SandboxPolicy;
}

/** Thrown by `pay`/`fail` for an unknown authority (404) or a session that is not waiting (409). */
export class ControlError extends Error {
  constructor(readonly status: 404 | 409, message: string) {
    super(message);
  }
}

export function createControl(state: SandboxState, faults: Faults): SandboxControl {
  const view = (session: Session): SessionView => {
    const { paySeq: _, refreshedUntil: __, ...s } = session;
    return {
      ...s,
      createdAt: s.createdAt.toISOString(),
      expiresAt: state.expiresAt(session).toISOString(),
      paidAt: s.paidAt?.toISOString() ?? null,
      verifiedAt: s.verifiedAt?.toISOString() ?? null,
      reversedAt: s.reversedAt?.toISOString() ?? null,
      failedAt: s.failedAt?.toISOString() ?? null,
      cardPan: s.cardPan && maskPan(s.cardPan),
      verifyCalls: faults.verifyCalls.get(s.authority) ?? 0,
    };
  };
  const waiting = (authority: string): Session => {
    const session = state.get(authority);
    if (!session) throw new ControlError(404, `unknown authority ${authority}`);
    if (session.status !== "CREATED" && session.status !== "IN_BANK") {
      throw new ControlError(409, `session ${authority} is ${session.status}`);
    }
    return session;
  };
  const control: SandboxControl = {
    failNextVerify: (code) => faults.queue(faults.failures, "verify", code),
    failNext: (endpoint, code) => faults.queue(faults.failures, endpoint, code),
    timeoutNext: (endpoint, ms) => faults.queue(faults.timeouts, endpoint, ms),
    delay: (endpoint, ms) => {
      if (ms > 0) faults.delays.set(endpoint, ms);
      else faults.delays.delete(endpoint);
    },
    down: (endpoint, isDown) => {
      if (isDown) faults.down.add(endpoint);
      else faults.down.delete(endpoint);
    },
    now: () => state.now(),
    setNow: (date) => state.setNow(new Date(date)),
    advance: (ms) => state.advance(ms),
    pay: async (authority, options = {}) => view(await state.pay(waiting(authority), options.card_pan)),
    fail: (authority) => view(state.fail(waiting(authority))),
    reset: () => {
      state.reset();
      faults.reset();
    },
    sessions: () => [...state.sessions.keys()].map((a) => view(state.get(a)!)),
    session: (authority) => {
      const session = state.get(authority);
      return session && view(session);
    },
    verifyCalls: (authority) => faults.verifyCalls.get(authority) ?? 0,
    setStatusMode: (mode, status) =>
      control.configure({ statusMode: mode, ...(status ? { errorStatus: status } : {}) }),
    setIpAllowList: (enabled) => control.configure({ ipAllowList: enabled }),
    setMerchantActive: (merchantId, active) => {
      const id = merchantId.toLowerCase();
      if (active) state.inactiveMerchants.delete(id);
      else state.inactiveMerchants.add(id);
    },
    configure: (changes) => Object.assign(state.policy, changes),
  };
  return control;
}
