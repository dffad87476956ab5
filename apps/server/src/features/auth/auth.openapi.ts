import {
  changePasswordRequestSchema,
  loginRequestSchema,
  loginResponseSchema,
  publicUserSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json } from '../openapi';

const revokedSchema = z.object({ revoked: z.number().int().nonnegative() });

/** `/api/auth/*` (auth.routes.ts). Every answer carries `Cache-Control: no-store`. */
export const authApi = defineApi('auth', [
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tagDescription:
      'Sign-in, sessions and your own password. Every answer carries `Cache-Control: no-store`.',
    summary: 'Sign in: a session token for the username and password',
    description:
      'Attempts are spaced (429 with `Retry-After` in seconds, decision 18): per username 5 attempts free, then 1 s doubling to 15 min; per address 100 failures free, then at most 30 s. A successful sign-in sets the cookie `dutydesk_device` (HttpOnly, path `/api/auth`): a known device is spaced only by its own attempts. Every `/api/auth/*` answer carries `Cache-Control: no-store`.',
    auth: 'public',
    body: loginRequestSchema,
    responses: { 200: json(loginResponseSchema, 'Signed in: the token, its expiry and the user') },
    errors: [401, 429],
    example: { body: { username: 'li.na', password: 'correct horse battery' } },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'Sign out: ends this session',
    description: "The token's sockets drop within a second.",
    auth: 'any',
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'The session is over') },
    example: {},
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getMe',
    summary: "The session's user and when the session expires",
    auth: 'any',
    responses: {
      200: json(
        z.object({ user: publicUserSchema, expiresAt: z.iso.datetime({ offset: true }) }),
        'The signed-in user',
      ),
    },
    example: {},
  },
  {
    method: 'post',
    path: '/api/auth/password',
    operationId: 'changeOwnPassword',
    summary: 'Change your own password (other sessions end)',
    description:
      'The current password is checked, its attempts spaced like a sign-in; 400 on `currentPassword` when it is wrong, on `newPassword` when the password rule refuses it (as for `POST /api/users`).',
    auth: 'staff',
    body: changePasswordRequestSchema,
    responses: { 200: json(revokedSchema, 'Changed; `revoked` other sessions ended') },
    errors: [429],
    example: {
      body: { currentPassword: 'winter lamp river 3', newPassword: 'staple battery horse 2' },
    },
  },
]);
