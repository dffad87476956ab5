import { describe, expect, it, vi } from 'vitest';
import { createApi } from './api';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('REST api', () => {
  it('names people for an agent from /api/staff when /api/users is refused', async () => {
    const fetchImpl = vi.fn((url: string) =>
      Promise.resolve(
        url.endsWith('/api/users')
          ? json(403, { error: { code: 'forbidden', message: 'no' } })
          : json(200, {
              staff: [{ id: 'u1', displayName: '刘洋', roles: ['engineer'], groupIds: ['l2'] }],
            }),
      ),
    );
    const api = createApi(fetchImpl as unknown as typeof fetch);
    expect(await api.listUsers('tok')).toEqual([
      {
        id: 'u1',
        username: '',
        displayName: '刘洋',
        roles: ['engineer'],
        groupIds: ['l2'],
        disabled: false,
      },
    ]);
    expect(fetchImpl.mock.calls.map((c) => c[0])).toEqual(['/api/users', '/api/staff']);
  });

  it("asks an agent's and an engineer's directory from /api/staff only (no 403 at sign-in)", async () => {
    for (const roles of [['agent'], ['engineer'], ['agent', 'engineer'], ['wallboard']]) {
      const fetchImpl = vi.fn((url: string) =>
        Promise.resolve(
          url.endsWith('/api/staff')
            ? json(200, { staff: [{ id: 'u1', displayName: '刘洋', roles: ['engineer'] }] })
            : json(403, { error: { code: 'forbidden', message: 'no' } }),
        ),
      );
      const api = createApi(fetchImpl as unknown as typeof fetch);
      expect(await api.listUsers('tok', roles)).toMatchObject([{ id: 'u1', displayName: '刘洋' }]);
      expect(fetchImpl.mock.calls.map((c) => c[0])).toEqual(['/api/staff']);
    }
    const manager = vi.fn(() => Promise.resolve(json(200, { users: [] })));
    await createApi(manager as unknown as typeof fetch).listUsers('tok', ['duty_manager']);
    await createApi(manager as unknown as typeof fetch).listUsers('tok', ['agent', 'admin']);
    expect(manager.mock.calls.map((c) => (c as unknown[])[0])).toEqual([
      '/api/users',
      '/api/users',
    ]);
  });

  it('keeps the full list for a duty manager and answers empty when both are refused', async () => {
    const user = { id: 'u2', username: 'sunli', displayName: '孙丽', roles: ['duty_manager'] };
    const manager = createApi(() => Promise.resolve(json(200, { users: [user] })));
    expect(await manager.listUsers('tok')).toMatchObject([{ username: 'sunli', groupIds: [] }]);
    const refused = createApi(() => Promise.resolve(json(403, {})));
    expect(await refused.listUsers('tok')).toEqual([]);
  });
});
