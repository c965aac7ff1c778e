import type { Clock } from '../../src/index.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2026-03-01T12:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
