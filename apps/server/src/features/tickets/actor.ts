import type { Actor, PublicUser } from '@dutydesk/shared';

/** The acting user as the shared domain sees it. */
export function actorFromUser(u: PublicUser): Actor {
  return { id: u.id, roles: u.roles, groupIds: u.groupIds, displayName: u.displayName } as Actor;
}
