import { defaultSlaPolicy, type SlaPolicy } from '@dutydesk/shared';

/** The default policy with a 2-hour P1 resolution: the contract a gold customer bought. */
export function goldPolicy(customerIds: string[] = ['gold-contract']): SlaPolicy {
  const p1 = defaultSlaPolicy.priorities.P1;
  return {
    ...defaultSlaPolicy,
    id: 'gold',
    name: 'Gold contract',
    customerIds,
    priorities: {
      ...defaultSlaPolicy.priorities,
      P1: {
        ...p1,
        targets: p1.targets.map((t) =>
          t.name === 'resolve'
            ? { ...t, due: { kind: 'duration', calendar: '24x7', minutes: 120 } }
            : t,
        ),
      },
    },
  };
}
