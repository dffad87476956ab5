import { describe, expect, it } from 'vitest';
import { matchRoute } from './router';

describe('matchRoute', () => {
  it.each([
    ['/wallboard', false, { name: 'wallboard' }],
    ['/wallboard/', true, { name: 'wallboard' }],
    ['/', false, { name: 'login' }],
    ['/tickets/abc', false, { name: 'login' }],
    ['/', true, { name: 'queue' }],
    ['/login', true, { name: 'queue' }],
    ['/tickets/INC%2D1', true, { name: 'ticket', ticketId: 'INC-1' }],
    ['/nope', true, { name: 'notFound' }],
    ['/admin', true, { name: 'admin', section: 'users' }],
    ['/admin/devices/', true, { name: 'admin', section: 'devices' }],
    ['/admin/sla', false, { name: 'login' }],
    ['/admin/a/b', true, { name: 'notFound' }],
  ])('%s (signed in: %s)', (path, signedIn, route) => {
    expect(matchRoute(path, signedIn)).toEqual(route);
  });
});
