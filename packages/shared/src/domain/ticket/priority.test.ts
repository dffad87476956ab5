import { describe, expect, it } from 'vitest';
import type { Level, Priority } from '../../contract/ticket';
import {
  computePriority,
  DEFAULT_LEVEL,
  getPriorityColour,
  PRIORITY_MATRIX,
  resolvePriority,
} from './priority';

// impact, urgency, expected: stated here independently of PRIORITY_MATRIX.
const CASES: Array<[Level, Level, Priority]> = [
  ['high', 'high', 'P1'],
  ['high', 'medium', 'P2'],
  ['high', 'low', 'P2'],
  ['medium', 'high', 'P2'],
  ['medium', 'medium', 'P2'],
  ['medium', 'low', 'P3'],
  ['low', 'high', 'P2'],
  ['low', 'medium', 'P3'],
  ['low', 'low', 'P3'],
];

describe('priority matrix', () => {
  it.each(CASES)('impact %s × urgency %s → %s', (impact, urgency, expected) => {
    expect(computePriority(impact, urgency)).toBe(expected);
    expect(PRIORITY_MATRIX[impact][urgency]).toBe(expected);
  });

  it('an explicit priority overrides the matrix', () => {
    expect(resolvePriority({ impact: 'high', urgency: 'high', priority: 'P3' })).toBe('P3');
    expect(resolvePriority({ impact: 'low', urgency: 'low', priority: 'P1' })).toBe('P1');
    expect(resolvePriority({ impact: 'high', urgency: 'high' })).toBe('P1');
  });

  it('an unassessed ticket starts at P3', () => {
    expect(computePriority(DEFAULT_LEVEL, DEFAULT_LEVEL)).toBe('P3');
  });

  it('colours P1 red, P2 yellow, P3 blue', () => {
    expect(getPriorityColour('P1')).toBe('red');
    expect(getPriorityColour('P2')).toBe('yellow');
    expect(getPriorityColour('P3')).toBe('blue');
  });
});
