import { describe, expect, it } from 'vitest';
import { isCrossSite } from './csrf';

const request = (headers: Record<string, string>) =>
  new Request('http://localhost:3000/api/trpc/members.grant', { method: 'POST', headers });

describe('isCrossSite', () => {
  it('lets same-origin and non-browser requests through', () => {
    expect(isCrossSite(request({ origin: 'http://localhost:3000' }), null)).toBe(false);
    expect(isCrossSite(request({ origin: 'https://cp.example' }), 'https://cp.example')).toBe(false);
    expect(isCrossSite(request({ 'sec-fetch-site': 'same-origin' }), null)).toBe(false);
    expect(isCrossSite(request({}), null)).toBe(false);
  });

  it('refuses another site', () => {
    expect(isCrossSite(request({ origin: 'https://evil.example' }), null)).toBe(true);
    expect(isCrossSite(request({ origin: 'http://localhost:3000' }), 'https://cp.example')).toBe(true);
    expect(isCrossSite(request({ 'sec-fetch-site': 'cross-site' }), null)).toBe(true);
  });
});
