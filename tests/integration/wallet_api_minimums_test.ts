import { assertEquals } from "@std/assert";
import { config, setConfig } from "../../lib/config.ts";
import { fund, key, randomIban, walletOf } from "../_support/ledger.ts";
import { api, caller, reauthToken, withApiStack } from "./wallet_api_client.ts";

Deno.test("[wallet api] the configured minimums refuse small withdrawals and transfers, and change nothing", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "sara");
    const reza = await caller(stack, "reza");
    await fund(sara.id, 1_000_000n);
    const before = config();
    setConfig({ ...before, WALLET_MIN_WITHDRAWAL_RIAL: 100_000, WALLET_MIN_TRANSFER_RIAL: 50_000 });
    try {
      await t.step("withdrawal below WALLET_MIN_WITHDRAWAL_RIAL: 422 below_minimum_withdrawal", async () => {
        const headers = { "x-reauthentication": await reauthToken(stack, sara) };
        const iban = randomIban();
        const below = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: key("w"),
          json: { amount: 99_999, iban },
          headers,
        });
        assertEquals([below.status, below.body.error.code], [422, "below_minimum_withdrawal"]);
        assertEquals(below.body.error.message, "The smallest withdrawal is 100,000 rials.");
        const fa = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: key("w"),
          json: { amount: 10, iban },
          headers,
          locale: "fa",
        });
        assertEquals([fa.status, fa.body.error.message], [422, "کمترین مبلغ برداشت ۱۰۰٬۰۰۰ ریال است."]);
        const list = await api(stack, "GET", "/api/v1/withdrawals", { as: sara });
        assertEquals(list.body.items, []);
        const wallet = await walletOf(sara.id);
        assertEquals([wallet.balance, wallet.held], [1_000_000n, 0n]);
        // At the minimum it goes through.
        const at = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: key("w"),
          json: { amount: 100_000, iban },
          headers,
        });
        assertEquals(at.status, 201, JSON.stringify(at.body));
      });

      await t.step("transfer below WALLET_MIN_TRANSFER_RIAL: 422 below_minimum_transfer", async () => {
        const saraBefore = await walletOf(sara.id);
        const below = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: sara,
          key: key("t"),
          json: { to: reza.email, amount: 49_999 },
        });
        assertEquals([below.status, below.body.error.code], [422, "below_minimum_transfer"]);
        assertEquals(below.body.error.message, "The smallest transfer is 50,000 rials.");
        assertEquals((await walletOf(sara.id)).balance, saraBefore.balance);
        assertEquals((await walletOf(reza.id)).balance, 0n);
        const entries = await api(stack, "GET", "/api/v1/wallet/entries", { as: reza });
        assertEquals(entries.body.items, []);
        const at = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: sara,
          key: key("t"),
          json: { to: reza.email, amount: 50_000 },
        });
        assertEquals(at.status, 201, JSON.stringify(at.body));
        assertEquals((await walletOf(reza.id)).balance, 50_000n);
      });
    } finally {
      setConfig(before);
    }
  });
});
