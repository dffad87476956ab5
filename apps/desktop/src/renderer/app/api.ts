import { z } from 'zod';
import { ticketListSchema } from '../realtime/contract';
import type { Ticket } from '../realtime/contract';
import { sessionUserSchema } from '../store/slices/session';
import type { Session } from '../store/slices/session';

export const LoginFailure = {
  invalid: 'invalid',
  rateLimited: 'rateLimited',
  network: 'network',
  unexpected: 'unexpected',
} as const;
export type LoginFailure = (typeof LoginFailure)[keyof typeof LoginFailure];

export type LoginResult =
  { ok: true; session: Session } | { ok: false; reason: LoginFailure; status?: number };

const loginBodySchema = z.object({ token: z.string().min(1), user: sessionUserSchema });

/** REST calls of the console, same origin as the page. */
export interface Api {
  login(username: string, password: string): Promise<LoginResult>;
  logout(token: string): Promise<void>;
  listTickets(token: string): Promise<Ticket[]>;
}

export function createApi(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  baseUrl = '',
): Api {
  return {
    async login(username, password) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
      } catch {
        return { ok: false, reason: LoginFailure.network };
      }
      if (response.status === 401 || response.status === 400)
        return { ok: false, reason: LoginFailure.invalid, status: response.status };
      if (response.status === 429)
        return { ok: false, reason: LoginFailure.rateLimited, status: 429 };
      if (!response.ok)
        return { ok: false, reason: LoginFailure.unexpected, status: response.status };
      const body = loginBodySchema.safeParse(await response.json().catch(() => null));
      if (!body.success)
        return { ok: false, reason: LoginFailure.unexpected, status: response.status };
      return { ok: true, session: { token: body.data.token, user: body.data.user } };
    },
    async logout(token) {
      try {
        await fetchImpl(`${baseUrl}/api/auth/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      } catch {
        // Signing out locally must work offline; the token expires on its own.
      }
    },
    async listTickets(token) {
      const response = await fetchImpl(`${baseUrl}/api/tickets`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`GET /api/tickets: ${response.status}`);
      return ticketListSchema.parse(await response.json()).tickets;
    },
  };
}
