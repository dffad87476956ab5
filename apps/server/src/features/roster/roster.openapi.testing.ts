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
  return {
    removeAssignment: { params: { id: removable } },
    swapAssignments: { body: () => ({ assignmentId: a, withAssignmentId: b }) },
    assignDuty: { body: (e) => ({ ...e, userId: me.user.id }) },
  };
};
