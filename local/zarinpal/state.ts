/** In-memory state of the Zarinpal sandbox: payment sessions, the clock and the policy knobs. */
import { hashPan, quoteFee } from "./fees.ts";
import { DEFAULT_POLICY, type SandboxPolicy } from "./policy.ts";

export type SessionStatus = "CREATED" | "IN_BANK" | "PAID" | "VERIFIED" | "FAILED" | "REVERSED" | "EXPIRED";

export interface Session {
  authority: string;
  merchantId: string;
  amount: number;
  currency: "IRR" | "IRT";
  description: string;
  callbackUrl: string;
  metadata: Record<string, unknown>;
  status: SessionStatus;
  createdAt: Date;
  paidAt: Date | null;
  verifiedAt: Date | null;
  reversedAt: Date | null;
  failedAt: Date | null;
  /** Set by refresh.json: the authority's lifetime ends then instead of `authorityTtlMs` after creation. */
  refreshedUntil: Date | null;
  cardPan: string | null;
  cardHash: string | null;
  refId: number | null;
  /** Order of payment, so sessions paid in the same millisecond still sort newest first. */
  paySeq: number;
  fee: number;
  feeType: "Merchant" | "Payer";
}

export const TEST_CARD = "6037991234567890";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type NewSession = Pick<
  Session,
  "merchantId" | "amount" | "currency" | "description" | "callbackUrl" | "metadata"
>;

export class SandboxState {
  sessions = new Map<string, Session>();
  policy: SandboxPolicy = { ...DEFAULT_POLICY };
  inactiveMerchants = new Set<string>();
  #fixed: Date | null = null;
  #offsetMs = 0;
  #nextRefId = 0;
  #paySeq = 0;

  constructor(readonly options: { now?: () => Date; merchantIds?: string[] } = {}) {
    this.reset();
  }

  now(): Date {
    return this.#fixed
      ? new Date(this.#fixed)
      : new Date((this.options.now?.() ?? new Date()).getTime() + this.#offsetMs);
  }

  setNow(date: Date): void {
    this.#fixed = new Date(date);
  }

  advance(ms: number): void {
    if (this.#fixed) this.#fixed = new Date(this.#fixed.getTime() + ms);
    else this.#offsetMs += ms;
  }

  reset(): void {
    this.sessions.clear();
    this.inactiveMerchants.clear();
    this.policy = { ...DEFAULT_POLICY };
    this.#fixed = null;
    this.#offsetMs = 0;
    this.#nextRefId = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
  }

  create(input: NewSession): Session {
    const bytes = crypto.getRandomValues(new Uint8Array(35));
    const authority = "S" + Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
    const { fee, fee_type } = quoteFee(input.amount, input.currency, this.policy);
    const session: Session = {
      ...input,
      authority,
      status: "CREATED",
      createdAt: this.now(),
      paidAt: null,
      verifiedAt: null,
      reversedAt: null,
      failedAt: null,
      refreshedUntil: null,
      cardPan: null,
      cardHash: null,
      refId: null,
      paySeq: 0,
      fee,
      feeType: fee_type,
    };
    this.sessions.set(authority, session);
    return session;
  }

  /** When the buyer can no longer pay this session (the policy TTL, or what refresh.json set). */
  expiresAt(session: Session): Date {
    return session.refreshedUntil ?? new Date(session.createdAt.getTime() + this.policy.authorityTtlMs);
  }

  /** The session with lazily applied expiry and auto-refund. */
  get(authority: string): Session | undefined {
    const session = this.sessions.get(authority);
    if (!session) return undefined;
    const now = this.now().getTime();
    const waiting = session.status === "CREATED" || session.status === "IN_BANK";
    if (waiting && now >= this.expiresAt(session).getTime()) {
      session.status = "EXPIRED";
    }
    const refundAfter = this.policy.unverifiedRefundAfterMs;
    if (session.status === "PAID" && refundAfter !== null && now - session.paidAt!.getTime() >= refundAfter) {
      Object.assign(session, { status: "FAILED", failedAt: this.now() });
    }
    return session;
  }

  /** The buyer paid: PAID (VERIFIED with metadata.auto_verify), or FAILED when `card_pan` was pinned to another card. */
  pay(session: Session, card?: string): Session {
    const pinned = typeof session.metadata.card_pan === "string" ? session.metadata.card_pan : undefined;
    const cardPan = card ?? pinned ?? TEST_CARD;
    if (pinned && pinned !== cardPan) return this.fail(session);
    Object.assign(session, {
      status: session.metadata.auto_verify === true ? "VERIFIED" : "PAID",
      paidAt: this.now(),
      verifiedAt: session.metadata.auto_verify === true ? this.now() : null,
      cardPan,
      cardHash: hashPan(cardPan),
      paySeq: ++this.#paySeq,
      refId: this.#nextRefId++,
    });
    return session;
  }

  fail(session: Session): Session {
    return Object.assign(session, { status: "FAILED", failedAt: this.now() });
  }

  /** PAID and not yet VERIFIED for one merchant, newest payment first, at most 100. */
  unverified(merchantId: string): Session[] {
    return [...this.sessions.keys()].map((a) => this.get(a)!)
      .filter((s) => s.merchantId === merchantId && s.status === "PAID")
      .sort((a, b) => b.paidAt!.getTime() - a.paidAt!.getTime() || b.paySeq - a.paySeq)
      .slice(0, 100);
  }
}
