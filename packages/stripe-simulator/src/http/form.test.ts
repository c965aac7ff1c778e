import { describe, expect, it } from 'vitest';
import { StripeApiError } from '../errors.js';
import { parseForm } from './form.js';

describe('parseForm (bracket notation as stripe-node writes it)', () => {
  it('unfolds nested objects, indexed arrays in index order, and appended `[]` values', () => {
    const body =
      'mode=payment&line_items[1][quantity]=2&line_items[0][price]=price_a&line_items[0][quantity]=1' +
      '&line_items[1][price_data][product_data][name]=1%2C000%20coins&metadata[tenant]=g1&expand[]=line_items&expand[]=customer';
    expect(parseForm(body)).toEqual({
      mode: 'payment',
      line_items: [
        { price: 'price_a', quantity: '1' },
        { quantity: '2', price_data: { product_data: { name: '1,000 coins' } } },
      ],
      metadata: { tenant: 'g1' },
      expand: ['line_items', 'customer'],
    });
  });

  it('keeps an empty value (Stripe reads `metadata[key]=` as "remove it") and refuses a key used both as a value and an object', () => {
    expect(parseForm('metadata[old]=')).toEqual({ metadata: { old: '' } });
    expect(() => parseForm('a=1&a[b]=2')).toThrow(StripeApiError);
    expect(() => parseForm('a]b=1')).toThrow(/Invalid parameter name/);
  });
});
