import { assert, assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { isValidIban, normalizeIban, validateIban } from "../../lib/wallet/iban.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { bankName, bankOf } from "../../lib/wallet/banks.ts";

/** Check digits by ISO 13616 (98 - mod 97 of BBAN + "IR00" as digits), written independently of lib/. */
function withCheckDigits(bban: string): string {
  const rest = Number(BigInt(`${bban}182700`) % 97n);
  return `IR${String(98 - rest).padStart(2, "0")}${bban}`;
}

const bban = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 22, maxLength: 22 });

Deno.test("[iban] known Sheba numbers — valid ones pass, in any spacing and case", () => {
  assert(isValidIban("IR062960000000100324200001"));
  assert(isValidIban("ir06 2960 0000 0010 0324 2000 01"));
  assertEquals(validateIban(" IR06-2960-0000-0010-0324-2000-01 "), "IR062960000000100324200001");
  assertEquals(normalizeIban("ir06 2960"), "IR062960");
});

Deno.test("[iban] malformed input — wrong country, length, letters or checksum are refused", () => {
  for (
    const bad of [
      "",
      "IR",
      "IR06296000000010032420000",
      "IR0629600000001003242000011",
      "DE062960000000100324200001",
      "IR06296000000010032420000A",
      "IR072960000000100324200001",
      "IR062960000000100324200002",
    ]
  ) {
    assert(!isValidIban(bad), bad);
  }
  const error = assertThrows(() => validateIban("IR000000000000000000000000"));
  assert(walletErrors.is(error, "invalid_iban"));
  assertEquals([error.status, error.code], [422, "invalid_iban"]);
});

Deno.test("[iban] property — every BBAN with its computed check digits is valid", () => {
  fc.assert(fc.property(bban, (digits) => isValidIban(withCheckDigits(digits))), { numRuns: 300 });
});

Deno.test("[iban] property — changing any single digit breaks the checksum", () => {
  fc.assert(
    fc.property(bban, fc.nat(23), fc.integer({ min: 1, max: 9 }), (digits, position, shift) => {
      const iban = withCheckDigits(digits);
      const at = 2 + position;
      const changed = `${iban.slice(0, at)}${(Number(iban[at]) + shift) % 10}${iban.slice(at + 1)}`;
      return !isValidIban(changed);
    }),
    { numRuns: 300 },
  );
});

Deno.test("[iban] property — swapping two different adjacent digits breaks the checksum", () => {
  fc.assert(
    fc.property(bban, fc.nat(22), (digits, position) => {
      const iban = withCheckDigits(digits);
      const at = 2 + position;
      fc.pre(iban[at] !== iban[at + 1]);
      const swapped = `${iban.slice(0, at)}${iban[at + 1]}${iban[at]}${iban.slice(at + 2)}`;
      return !isValidIban(swapped);
    }),
    { numRuns: 300 },
  );
});

Deno.test("[iban] as people type them — Persian or Arabic digits, spaces, RTL marks, no IR", () => {
  const iban = "IR062960000000100324200001";
  const persian = (text: string) => text.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
  const arabic = (text: string) => text.replace(/\d/g, (d) => "٠١٢٣٤٥٦٧٨٩"[Number(d)]);
  for (
    const typed of [
      persian("IR06 2960 0000 0010 0324 2000 01"),
      arabic("ir062960000000100324200001"),
      "062960000000100324200001",
      persian("06-2960-0000-0010-0324-2000-01"),
      `\u200f${persian("0629 6000")}\u200c0000100324200001\u200e`,
      "\u00a0IR06 2960\u00a00000 0010 0324 2000 01",
    ]
  ) {
    assertEquals(normalizeIban(typed), iban, typed);
    assert(isValidIban(typed), typed);
    assertEquals(validateIban(typed), iban);
  }
  assert(!isValidIban("062960000000100324200002"), "the checksum is still checked");
  assert(!isValidIban("62960000000100324200001"), "23 digits are not a Sheba number");
});

Deno.test("[iban] the bank named by the code after the check digits, in fa and en", () => {
  const melli = withCheckDigits("0170000000100324200001");
  assertEquals(bankOf(melli), { code: "017", fa: "بانک ملی ایران", en: "Bank Melli Iran" });
  const mellat = withCheckDigits("0120000000012345678901").slice(2).replace(
    /\d/g,
    (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)],
  );
  assertEquals(bankName(mellat, "fa"), "بانک ملت");
  assertEquals(bankName(mellat, "en"), "Bank Mellat");
  assertEquals(bankName("IR06 056", "en"), "Saman Bank", "named as soon as the code is typed");
  assertEquals(bankOf("IR06 05"), undefined);
  assertEquals(bankOf(withCheckDigits("9990000000100324200001")), undefined, "an unknown code");
});
