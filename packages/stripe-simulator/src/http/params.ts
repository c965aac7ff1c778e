import { invalidParam, missingParam, unknownParam } from '../errors.js';
import type { Params, ParamValue } from './form.js';

/**
 * Reads one level of a request's parameters with Stripe's validation: unknown names, missing required ones
 * and malformed values are 400s naming the parameter in bracket notation (`line_items[0][price]`).
 */
export class ParamReader {
  constructor(
    private readonly params: Params,
    private readonly prefix = '',
  ) {}

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.params[key] !== undefined;
  }

  /** Rejects any parameter not in `allowed` (as Stripe does: "Received unknown parameter"). */
  only(allowed: readonly string[]): this {
    for (const key of Object.keys(this.params))
      if (!allowed.includes(key)) throw unknownParam(this.name(key));
    return this;
  }

  string(key: string): string | undefined {
    const value = this.params[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidParam(this.name(key), `Invalid string: ${this.name(key)}`);
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw missingParam(this.name(key));
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!values.includes(value as T)) {
      throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be one of ${values.join(', ')}`);
    }
    return value as T;
  }

  /** A non-negative integer (amounts are integer minor units: no decimals, no exponent). */
  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw invalidParam(this.name(key), `Invalid integer: ${value}`);
    }
    return Number(value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      throw invalidParam(this.name(key), `Invalid boolean: ${value}`);
    }
    return value === 'true';
  }

  object(key: string): ParamReader | undefined {
    const value = this.params[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' || Array.isArray(value)) {
      throw invalidParam(this.name(key), `Invalid object: ${this.name(key)}`);
    }
    return new ParamReader(value, this.name(key));
  }

  list(key: string): ParamReader[] {
    const value = this.params[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalidParam(this.name(key), `Invalid array: ${this.name(key)}`);
    return value.map((item, i) => {
      if (typeof item === 'string' || Array.isArray(item)) {
        throw invalidParam(`${this.name(key)}[${i}]`, `Invalid object: ${this.name(key)}[${i}]`);
      }
      return new ParamReader(item, `${this.name(key)}[${i}]`);
    });
  }

  strings(key: string): string[] {
    const value = this.params[key];
    if (value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, i) => {
      if (typeof item !== 'string') throw invalidParam(`${this.name(key)}[${i}]`, 'Invalid string');
      return item;
    });
  }

  /**
   * `metadata[key]=value` merged onto `current`: an empty value removes the key, as on Stripe; at most 50
   * keys of at most 40 characters, values of at most 500.
   */
  metadata(key = 'metadata', current: Record<string, string> = {}): Record<string, string> {
    const value = this.params[key];
    if (value === undefined) return current;
    if (value === '') return {};
    if (typeof value === 'string' || Array.isArray(value)) {
      throw invalidParam(this.name(key), `Invalid object: ${this.name(key)}`);
    }
    const next = { ...current };
    for (const [k, v] of Object.entries(value as Record<string, ParamValue>)) {
      if (typeof v !== 'string') throw invalidParam(`${this.name(key)}[${k}]`, 'Invalid metadata value');
      if (k.length > 40)
        throw invalidParam(`${this.name(key)}[${k}]`, 'Metadata keys can be at most 40 characters.');
      if (v.length > 500)
        throw invalidParam(`${this.name(key)}[${k}]`, 'Metadata values can be at most 500 characters.');
      if (v === '') delete next[k];
      else next[k] = v;
    }
    if (Object.keys(next).length > 50)
      throw invalidParam(this.name(key), 'Metadata can have at most 50 keys.');
    return next;
  }
}
