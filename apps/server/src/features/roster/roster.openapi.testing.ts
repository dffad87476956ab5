import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** The template and the shift the examples name, and assignments to remove and swap. */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const me = await call<{ user: { id: string } }>('GET', '/api/auth/me');
  await call('PUT', '/api/roster/templates/day-shift', {
    name: 'Day',
    kind: 'day',
    startTime: '08:30',
    durationMinutes: 600,
  });
  await call('POST', '/api/roster/shifts', {
    id: 'night-2026-12-04',
    name: 'Night',
    kind: 'night',
    startsAt: '2026-12-04T20:00:00+08:00',
    endsAt: '2026-12-05T08:00:00+08:00',
  });
  const assign = async (duty: string): Promise<string> =>
    (
      await call<{ id: string }>('POST', '/api/roster/assignments', {
        shiftId: 'night-2026-12-04',
        userId: me.user.id,
        duty,
      })
    ).id;
  const removable = await assign('desk_agent');
  const [a, b] = [await assign('engineer_l2'), await assign('duty_manager')];
  // A started duty-manager shift, whose report is made when first opened.
  await call('POST', '/api/roster/shifts', {
    id: 'handover-fixture',
    name: 'Early',
    kind: 'day',
    startsAt: new Date(Date.now() - 3_600_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  await call('POST', '/api/roster/assignments', {
    shiftId: 'handover-fixture',
    userId: me.user.id,
    duty: 'duty_manager',
  });
  await call('GET', '/api/roster/handovers/handover-fixture');
  const handover = { params: { shiftId: 'handover-fixture' } };
  return {
    getHandover: handover,
    addHandoverNote: handover,
    acknowledgeHandover: handover,
    removeAssignment: { params: { id: removable } },
    swapAssignments: { body: () => ({ assignmentId: a, withAssignmentId: b }) },
    assignDuty: { body: (e) => ({ ...e, userId: me.user.id }) },
  };
};
