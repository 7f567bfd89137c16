import { assert, assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { isValidIban, normalizeIban, validateIban } from "../../lib/wallet/iban.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

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
