import { noSuch } from './errors.js';

/** An object as the API returns it: Stripe's field names, JSON values. */
export interface StripeObject {
  id: string;
  object: string;
  [field: string]: unknown;
}

interface Entry {
  obj: StripeObject;
  /** null: the platform's own; otherwise the connected account the object lives on. */
  account: string | null;
  seq: number;
}

/**
 * Every API object, by id, each on the platform or on one connected account. A request sees only the objects
 * of the account it acts as (its `Stripe-Account` header, or the platform), as on Stripe.
 */
export class ObjectStore {
  private readonly byId = new Map<string, Entry>();
  private seq = 0;

  add<T extends StripeObject>(obj: T, account: string | null): T {
    this.byId.set(obj.id, { obj, account, seq: this.seq++ });
    return obj;
  }

  /** The object if it exists on `account`. */
  find<T extends StripeObject = StripeObject>(id: string, account: string | null): T | undefined {
    const entry = this.byId.get(id);
    return entry && entry.account === account ? (entry.obj as T) : undefined;
  }

  /** The object of type `object`, or Stripe's 404 ("No such customer: 'cus_…'"). */
  get<T extends StripeObject>(object: string, id: string, account: string | null, param = 'id'): T {
    const found = this.find<T>(id, account);
    if (!found || found.object !== object)
      throw noSuch(object.replace(/^.*\./, '').replace(/_/g, ' '), id, param);
    return found;
  }

  /** Where an object lives, whichever account asks (pages and the control API); `object` narrows the type. */
  locate<T extends StripeObject = StripeObject>(
    id: string,
    object?: string,
  ): { obj: T; account: string | null } | undefined {
    const entry = this.byId.get(id);
    if (!entry || (object !== undefined && entry.obj.object !== object)) return undefined;
    return { obj: entry.obj as T, account: entry.account };
  }

  /** Every object of a type on `account`, newest first (Stripe's list order). */
  all<T extends StripeObject>(object: string, account: string | null): T[] {
    const out: Entry[] = [];
    for (const entry of this.byId.values())
      if (entry.obj.object === object && entry.account === account) out.push(entry);
    return out.sort((a, b) => b.seq - a.seq).map((e) => e.obj as T);
  }

  /** Every object of a type on every account (the clock's duties). */
  everywhere<T extends StripeObject>(object: string): Array<{ obj: T; account: string | null }> {
    const out: Array<{ obj: T; account: string | null }> = [];
    for (const entry of this.byId.values())
      if (entry.obj.object === object) out.push({ obj: entry.obj as T, account: entry.account });
    return out;
  }
}
