/** StartPay: GET shows the payment page; POST records pay, fail or cancel and sends the browser back. */
import { type Context, Hono } from "hono";
import { messageFor, Refusal } from "./codes.ts";
import type { Faults } from "./faults.ts";
import { injectFaults } from "./pipeline.ts";
import type { SandboxState, Session } from "./state.ts";
import { TEST_CARD } from "./state.ts";
import { errorPage, startPayPage } from "./startpay_page.ts";

const PATHS = ["/:authority", "/:authority/ZarinGate"];

/** The callback URL with `Authority` and `Status` added; its own query parameters are kept. */
function callbackLocation(session: Session, ok: boolean): string {
  const url = new URL(session.callbackUrl);
  url.searchParams.set("Authority", session.authority);
  url.searchParams.set("Status", ok ? "OK" : "NOK");
  return url.href;
}

export function startPayRoutes(state: SandboxState, faults: Faults): Hono {
  const app = new Hono();

  /** The session if the buyer may still act on it, else the error page to show. */
  const openSession = async (c: Context): Promise<Session | Response> => {
    try {
      const early = await injectFaults(c, "startPay", faults);
      if (early) return early;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return c.html(errorPage({ titleFa: "خطا", titleEn: "Error", detail: messageFor(error.code) }), 500);
    }
    const session = state.get(c.req.param("authority") ?? "");
    if (!session) {
      return c.html(
        errorPage({ titleFa: "تراکنش یافت نشد", titleEn: "Payment not found", detail: "Invalid authority." }),
        404,
      );
    }
    if (session.status === "EXPIRED") {
      const detail = "This payment session has expired; start a new payment.";
      return c.html(
        errorPage({ titleFa: "مهلت پرداخت تمام شده است", titleEn: "Payment expired", detail }),
        410,
      );
    }
    if (session.status !== "CREATED" && session.status !== "IN_BANK") {
      const detail = `This payment is already ${session.status}.`;
      return c.html(
        errorPage({ titleFa: "این پرداخت قبلا انجام شده است", titleEn: "Already processed", detail }),
        409,
      );
    }
    return session;
  };

  app.on("GET", PATHS, async (c) => {
    const session = await openSession(c);
    if (session instanceof Response) return session;
    session.status = "IN_BANK";
    const expiresAt = state.expiresAt(session);
    const pinned = session.metadata.card_pan;
    return c.html(
      startPayPage({ ...session, cardPan: typeof pinned === "string" ? pinned : TEST_CARD, expiresAt }),
    );
  });

  app.on("POST", PATHS, async (c) => {
    const form = await c.req.parseBody();
    const action = String(form.action ?? "");
    const cardPan = form.card_pan ? String(form.card_pan).replace(/[\s-]/g, "") : undefined;
    if (!["pay", "fail", "cancel"].includes(action) || (cardPan !== undefined && !/^\d{16}$/.test(cardPan))) {
      const detail = "Send action=pay|fail|cancel and a 16-digit card_pan.";
      return c.html(errorPage({ titleFa: "درخواست نامعتبر", titleEn: "Bad request", detail }), 400);
    }
    const session = await openSession(c);
    if (session instanceof Response) return session;
    if (action === "pay") await state.pay(session, cardPan);
    else state.fail(session);
    const ok = session.status === "PAID" || session.status === "VERIFIED";
    return c.redirect(callbackLocation(session, ok), 302);
  });

  return app;
}
