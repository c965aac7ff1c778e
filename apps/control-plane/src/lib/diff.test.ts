import { describe, expect, it } from 'vitest';
import { diff } from './diff';
import { getAt, setAt } from './paths';

describe('diff', () => {
  it('lists changed, added and removed leaves by path', () => {
    const before = {
      a: 1,
      faucets: { daily: { reward: { fixed: 200 } }, work: { x: 1 } },
      roles: ['1', '2'],
    };
    const after = { a: 1, faucets: { daily: { reward: { fixed: 275 } }, chat: { x: 2 } }, roles: ['1'] };
    expect(diff(before, after)).toEqual([
      { path: 'faucets.chat', kind: 'added', after: { x: 2 } },
      { path: 'faucets.daily.reward.fixed', kind: 'changed', before: 200, after: 275 },
      { path: 'faucets.work', kind: 'removed', before: { x: 1 } },
      { path: 'roles', kind: 'changed', before: ['1', '2'], after: ['1'] },
    ]);
  });

  it('compares arrays of objects item by item, and finds nothing in equal values', () => {
    expect(diff({ m: [{ d: 7 }, { d: 30 }] }, { m: [{ d: 7 }] })).toEqual([
      { path: 'm.1', kind: 'removed', before: { d: 30 } },
    ]);
    expect(diff({ a: [{ b: 1 }] }, { a: [{ b: 1 }] })).toEqual([]);
  });
});

describe('paths', () => {
  it('sets immutably, creating containers and removing keys set to undefined', () => {
    const root = { a: { b: 1 }, list: [{ x: 1 }] };
    const next = setAt(root, ['a', 'c'], 2);
    expect(next).toEqual({ a: { b: 1, c: 2 }, list: [{ x: 1 }] });
    expect(root.a).toEqual({ b: 1 });
    expect(next.list).toBe(root.list);
    expect(setAt(root, ['list', 0, 'x'], 5).list).toEqual([{ x: 5 }]);
    expect(setAt(root, ['a', 'b'], undefined)).toEqual({ a: {}, list: [{ x: 1 }] });
    expect(setAt({}, ['n', 'm'], 1)).toEqual({ n: { m: 1 } });
    expect(getAt(next, ['a', 'c'])).toBe(2);
    expect(getAt(next, ['nope', 'x'])).toBeUndefined();
  });
});
