import { ApplicationCommandOptionType } from 'discord.js';
import { RuntimeError, RuntimeErrorCode } from './errors.js';
import { parseAmount } from './format.js';

/** One option of an interaction as Discord sends it (and as discord.js keeps it in `options.data`). */
export interface RawOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean | undefined;
  readonly options?: readonly RawOption[] | undefined;
}

type Value = string | number | boolean;

/**
 * Reads an interaction's options by name. Tolerant of how a Discord-compatible API encodes values
 * (a number sent as "50" still reads as 50), strict about what the command needs: a missing
 * required option or an unusable value is an INVALID_OPTION that names the option.
 */
export class OptionReader {
  private readonly values = new Map<string, Value>();
  readonly subcommand: string | undefined;

  constructor(options: readonly RawOption[] = []) {
    let list = options;
    const sub = options.find(
      (o) =>
        o.type === ApplicationCommandOptionType.Subcommand ||
        o.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (sub) {
      this.subcommand = sub.name;
      list = sub.options ?? [];
      const nested = list.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
      // A subcommand group: `group sub`, read the inner subcommand's options.
      if (nested) {
        this.subcommand = `${sub.name} ${nested.name}`;
        list = nested.options ?? [];
      }
    }
    for (const option of list) {
      if (option.value !== undefined && option.value !== null) this.values.set(option.name, option.value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return this.missing(name, required);
    return String(value);
  }

  integer(name: string, required: true): number;
  integer(name: string, required?: false): number | undefined;
  integer(name: string, required = false): number | undefined {
    const value = required ? this.number(name, true) : this.number(name);
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value)) throw bad(name, 'must be a whole number');
    return value;
  }

  number(name: string, required: true): number;
  number(name: string, required?: false): number | undefined;
  number(name: string, required = false): number | undefined {
    const value = this.values.get(name);
    if (value === undefined) return this.missing(name, required);
    const n =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
    if (typeof value === 'string' && value.trim() === '') throw bad(name, 'must be a number');
    if (!Number.isFinite(n)) throw bad(name, 'must be a number');
    return n;
  }

  /** A member picked in a USER option: their id. */
  user(name: string, required: true): string;
  user(name: string, required?: false): string | undefined;
  user(name: string, required = false): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return this.missing(name, required);
    const id = String(value);
    if (!/^\d{1,21}$/.test(id)) throw bad(name, 'must be a member');
    return id;
  }

  /** Money in minor units, whether the option came as an INTEGER or as text such as "12.50". */
  amount(name: string, decimals: number): bigint {
    const value = this.values.get(name);
    if (value === undefined) throw bad(name, 'is required');
    if (typeof value === 'boolean') throw bad(name, 'must be an amount');
    return parseAmount(value, decimals, name);
  }

  private missing(name: string, required: boolean): undefined {
    if (required) throw bad(name, 'is required');
    return undefined;
  }
}

function bad(name: string, why: string): RuntimeError {
  return new RuntimeError(RuntimeErrorCode.INVALID_OPTION, `\`${name}\` ${why}.`);
}
