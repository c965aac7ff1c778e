import { invalidInput, type ValidationError } from './errors.js';

/**
 * Text a store cannot hold as given: NUL (PostgreSQL refuses it in text; readers that stop at it
 * truncate), and a UTF-16 surrogate without its partner (half a character: it becomes U+FFFD or an
 * error on the way to UTF-8). Both stores must refuse the same input, so it is refused here, first.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MESSAGE = 'must not contain NUL characters or broken (lone surrogate) characters';

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** `INVALID_INPUT` when a string holds a NUL or a lone surrogate; other values pass (their own checks apply). */
export function assertStorableText(value: unknown, path: string): void {
  // On every transfer's path: no object built per string checked.
  if (typeof value === 'string' && !isStorableText(value)) throw invalidInput(path, MESSAGE);
}

/** The first field (by name) whose string value a store cannot hold, as an `INVALID_INPUT` at `path.name`. */
export function unstorableField(fields: Record<string, unknown>, path: string): ValidationError | undefined {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && !isStorableText(value)) {
      return invalidInput(path === '' ? name : `${path}.${name}`, MESSAGE);
    }
  }
  return undefined;
}
