import type { Level, Priority } from '../../contract/ticket';

/**
 * Impact × urgency → priority, the usual 3×3 service-desk matrix folded onto three levels:
 *
 * | impact \ urgency | high | medium | low |
 * |------------------|------|--------|-----|
 * | high             | P1   | P2     | P2  |
 * | medium           | P2   | P2     | P3  |
 * | low              | P2   | P3     | P3  |
 *
 * P1 only when both are high (a wide outage that cannot wait); P2 when either is high or both
 * are medium; P3 otherwise. P1 is kept rare on purpose: it runs the 7×24 clock and pages the
 * duty manager.
 */
export const PRIORITY_MATRIX: Readonly<Record<Level, Readonly<Record<Level, Priority>>>> = {
  high: { high: 'P1', medium: 'P2', low: 'P2' },
  medium: { high: 'P2', medium: 'P2', low: 'P3' },
  low: { high: 'P2', medium: 'P3', low: 'P3' },
};

/** Display colour of each priority on every seat and the wallboard. */
export const PriorityColour = { P1: 'red', P2: 'yellow', P3: 'blue' } as const;
export type PriorityColour = (typeof PriorityColour)[keyof typeof PriorityColour];

/**
 * Impact and urgency of a ticket nobody has assessed yet: it starts at the bottom of the
 * matrix (P3) and classification, or an explicit level on create, raises it.
 */
export const DEFAULT_LEVEL: Level = 'low';

/**
 * Looks up the matrix.
 * @example computePriority('high', 'medium') // 'P2'
 */
export function computePriority(impact: Level, urgency: Level): Priority {
  return PRIORITY_MATRIX[impact][urgency];
}

/**
 * The priority a command asks for: an explicit `priority` overrides the matrix; otherwise the
 * matrix on the given impact and urgency.
 * @example resolvePriority({ impact: 'high', urgency: 'high', priority: 'P3' }) // 'P3'
 */
export function resolvePriority(input: {
  impact: Level;
  urgency: Level;
  priority?: Priority | undefined;
}): Priority {
  return input.priority ?? computePriority(input.impact, input.urgency);
}

/**
 * Colour of a priority.
 * @example getPriorityColour('P1') // 'red'
 */
export function getPriorityColour(priority: Priority): PriorityColour {
  return PriorityColour[priority];
}
