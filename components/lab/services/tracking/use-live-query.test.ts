import { describe, expect, it } from 'vitest';
import { fingerprintOf } from './use-live-query';

describe('fingerprintOf', () => {
  it('tells NaN, infinities and null apart (JSON alone would not), so a change is never missed', () => {
    expect(fingerprintOf({ v: Number.NaN })).not.toBe(fingerprintOf({ v: null }));
    expect(fingerprintOf({ v: Infinity })).not.toBe(fingerprintOf({ v: -Infinity }));
    expect(fingerprintOf([{ a: 1 }])).toBe(fingerprintOf([{ a: 1 }]));
  });
});
