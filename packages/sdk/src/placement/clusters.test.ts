import { describe, expect, it } from 'vitest';
import { ErrorCode, isGuildmintError } from '../errors.js';
import { checkedClusters, isClusterStorage, parseClusters } from './clusters.js';

describe('GUILDMINT_CLUSTERS', () => {
  it('reads name=url entries separated by ; or whitespace, multi-host URLs whole', () => {
    expect(
      parseClusters(
        'a=postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write; b=postgresql://h3/db\nc=postgres://h4/db',
      ),
    ).toEqual({
      a: 'postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write',
      b: 'postgresql://h3/db',
      c: 'postgres://h4/db',
    });
  });

  it.each([
    'a',
    '=postgres://h/db',
    'A=postgres://h/db',
    'a=file:x.db',
    'a=postgres://h/db;a=postgres://k/db',
  ])('refuses %j with INVALID_INPUT, naming the entry without its password', (text) => {
    let caught: unknown;
    try {
      parseClusters(text);
    } catch (error) {
      caught = error;
    }
    expect(isGuildmintError(caught, ErrorCode.INVALID_INPUT)).toBe(true);
  });

  it('hides a password in the message', () => {
    expect(() => parseClusters('a=mysql://user:secret@h/db')).toThrow(/mysql:\/\/…@h\/db/);
  });

  it('checks the storage form: clusters named, the directory one of them (default: the first named)', () => {
    expect(checkedClusters({ clusters: { b: 'postgres://h/b', a: 'postgres://h/a' } })).toEqual({
      names: ['a', 'b'],
      directory: 'b',
    });
    expect(() => checkedClusters({ clusters: {} })).toThrow(/names no cluster/);
    expect(() => checkedClusters({ clusters: { a: 'postgres://h/a' }, directory: 'z' })).toThrow(
      /not one of/,
    );
    expect(isClusterStorage({ clusters: {} })).toBe(true);
    expect(isClusterStorage('postgres://h/db')).toBe(false);
    expect(isClusterStorage({ clusters: {}, commit() {} })).toBe(false);
  });
});
