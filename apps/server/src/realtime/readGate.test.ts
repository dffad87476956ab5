import { describe, expect, it } from 'vitest';
import { createReadGate, READS_PER_USER_FACTOR, readKeysOf } from './readGate';

describe('read gate', () => {
  it('bounds reads per session, per user (several sessions) and per node; a release frees the slot once', () => {
    const gate = createReadGate(2, 100);
    const held = [gate.tryEnter('s1', 'u1'), gate.tryEnter('s1', 'u1')];
    expect(held.every(Boolean)).toBe(true);
    expect(gate.tryEnter('s1', 'u1')).toBeNull();
    // The same user through more sessions: up to READS_PER_USER_FACTOR sessions' worth.
    for (let s = 2; s <= READS_PER_USER_FACTOR; s += 1) {
      expect(gate.tryEnter(`s${s}`, 'u1')).not.toBeNull();
      expect(gate.tryEnter(`s${s}`, 'u1')).not.toBeNull();
    }
    expect(gate.tryEnter('s99', 'u1')).toBeNull();
    expect(gate.tryEnter('s99', 'u2')).not.toBeNull();
    held[0]?.();
    held[0]?.();
    expect(gate.tryEnter('s1', 'u1')).not.toBeNull();
    expect(gate.peakPerKey).toBe(2);
    const node = createReadGate(2, 3);
    expect([node.tryEnter('a'), node.tryEnter('b'), node.tryEnter('c')].every(Boolean)).toBe(true);
    expect(node.tryEnter('d')).toBeNull();
    expect(node.inFlight).toBe(3);
  });

  it('keys a device session by its token only (every wallboard token is one account)', () => {
    const device = { session: { id: 'dev1' }, user: { id: 'wb', roles: ['wallboard'] } };
    const agent = { session: { id: 's1' }, user: { id: 'u1', roles: ['agent'] } };
    expect(readKeysOf(device)).toEqual(['dev1', undefined]);
    expect(readKeysOf(agent)).toEqual(['s1', 'u1']);
  });
});
