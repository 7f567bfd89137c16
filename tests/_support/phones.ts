/** Iranian mobile numbers typed the ways people type them, for the phone normaliser's tests (TS and SQL). */
import fc from "fast-check";

/** A subscriber number: 9 then nine digits (912 345 6789). */
export const subscriber = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 9 })
  .map((rest) => `9${rest}`);

const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC = "٠١٢٣٤٥٦٧٨٩";
const inScript = (text: string, digits: string) => text.replace(/[0-9]/g, (d) => digits[Number(d)]);

/** The prefixes that all mean Iran's mobile network. */
const prefix = fc.constantFrom("0", "+98", "98", "0098", "", "+98 0", "+98 (0)");
/** What goes between groups of digits. */
const separator = fc.constantFrom("", " ", "-", ".", "\u00a0", "\u200c", " - ");
const script = fc.constantFrom("latin", "persian", "arabic");

/** [what a person typed, the E.164 number it means]. */
export const typedMobile = fc.tuple(subscriber, prefix, separator, script).map(([number, pre, sep, s]) => {
  const grouped = [number.slice(0, 3), number.slice(3, 6), number.slice(6)].join(sep);
  const text = `${pre}${pre && sep.trim() ? "" : sep}${grouped}`;
  const typed = s === "persian" ? inScript(text, PERSIAN) : s === "arabic" ? inScript(text, ARABIC) : text;
  return [typed, `+98${number}`] as const;
});

/** Text that is not an Iranian mobile number: landlines, foreign numbers, wrong lengths, letters. */
export const notAMobile = fc.oneof(
  fc.constantFrom(
    "",
    "0912",
    "02112345678",
    "+982112345678",
    "+14155550100",
    "+4915112345678",
    "091212345678",
    "9912345678 9",
    "0912abc4567",
    "+98+9121234567",
    "12ab",
  ),
  // Landlines: 0 then an area code that does not start with 9.
  fc.tuple(
    fc.constantFrom(..."12345678"),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 9 }),
  )
    .map(([area, rest]) => `0${area}${rest}`),
  // Mobile numbers with a digit too many or too few.
  subscriber.chain((n) => fc.constantFrom(`0${n}1`, `0${n.slice(1)}`, `+98${n}0`, n.slice(0, 9))),
);

/** [another country's mobile typed in international form, its E.164]: +44, +1, +49… with 00 or +. */
export const foreignMobile = fc.tuple(
  fc.constantFrom("44", "1", "49", "971", "90", "33"),
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 8, maxLength: 10 }),
  fc.constantFrom("+", "00"),
  separator,
  script,
).map(([country, rest, plus, sep, s]) => {
  const national = `7${rest}`;
  const text = `${plus}${country}${sep}${national.slice(0, 3)}${sep}${national.slice(3)}`;
  const typed = s === "persian" ? inScript(text, PERSIAN) : s === "arabic" ? inScript(text, ARABIC) : text;
  return [typed, `+${country}${national}`] as const;
});

/** An Iranian landline (area code 1–8, eight more digits) in the ways people type it. */
export const iranianLandline = fc.tuple(
  fc.constantFrom(..."12345678"),
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 9 }),
  fc.constantFrom("0", "+98", "0098", "+98 "),
  separator,
).map(([area, rest, pre, sep]) =>
  `${pre}${area}${rest.slice(0, 1)}${sep}${rest.slice(1, 5)}${sep}${rest.slice(5)}`
);
