import { describe, expect, it } from 'vitest';
import { IncompatibilityReason, PROTOCOL_VERSION } from './version';

describe('protocol version', () => {
  it('is a positive integer with named incompatibility reasons', () => {
    expect(Number.isInteger(PROTOCOL_VERSION) && PROTOCOL_VERSION > 0).toBe(true);
    expect(Object.keys(IncompatibilityReason).sort()).toEqual(['clientTooOld', 'serverTooOld']);
  });
});
