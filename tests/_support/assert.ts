/** Minimal assertions (JSR's @std/assert is unreachable here); node:assert does the comparing. */
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  assert.notDeepStrictEqual(actual, expected, message);
}
export function assert_(condition: unknown, message?: string): asserts condition {
  assert.ok(condition, message);
}
export { assert_ as assert };
export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  assert.match(actual, pattern, message);
}
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  assert.ok(
    actual.includes(expected),
    message ?? `expected ${JSON.stringify(actual)} to include ${expected}`,
  );
}
export async function assertRejects(fn: () => Promise<unknown>, match?: RegExp | string): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (match && !(typeof match === "string" ? text.includes(match) : match.test(text))) {
      throw new assert.AssertionError({ message: `rejected with "${text}", expected ${match}` });
    }
    return error as Error;
  }
  throw new assert.AssertionError({ message: "expected the promise to reject" });
}
export function assertThrows(fn: () => unknown, match?: RegExp | string): Error {
  try {
    fn();
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (match && !(typeof match === "string" ? text.includes(match) : match.test(text))) {
      throw new assert.AssertionError({ message: `threw "${text}", expected ${match}` });
    }
    return error as Error;
  }
  throw new assert.AssertionError({ message: "expected the function to throw" });
}
