import { deskMetricsSchema } from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json } from '../openapi';

const instant = z.iso.datetime({ offset: true });
const deviceSchema = z.object({
  id: z.string(),
  label: z.string(),
  userId: z.string(),
  createdAt: instant,
  expiresAt: instant,
  revokedAt: instant.nullable(),
});

/** `/api/wallboard/metrics` and the admin's device tokens (wallboard.routes.ts). */
export const wallboardApi = defineApi('wallboard', [
  {
    method: 'get',
    path: '/api/wallboard/metrics',
    operationId: 'getDeskMetrics',
    tagDescription: "The desk's metrics and the wallboard device tokens.",
    summary: "The desk's numbers as the wallboard shows them (docs/metrics.md)",
    auth: 'any',
    responses: { 200: json(deskMetricsSchema, 'The current metrics') },
    example: {},
  },
  {
    method: 'post',
    path: '/api/devices',
    operationId: 'createDevice',
    summary: 'Create a wallboard device token (shown once)',
    auth: 'staff',
    roles: ['admin'],
    body: z
      .object({
        label: z.string().min(1).max(100),
        days: z.number().int().min(1).max(3650).default(365),
      })
      .strict(),
    responses: {
      201: json(
        z.object({ id: z.string(), token: z.string(), label: z.string(), expiresAt: instant }),
        "Created: `token` is the device's bearer token, never shown again",
      ),
    },
    errors: [409],
    example: { body: { label: 'Service hall, north wall', days: 365 } },
  },
  {
    method: 'get',
    path: '/api/devices',
    operationId: 'listDevices',
    summary: 'The device tokens (without the tokens)',
    auth: 'staff',
    roles: ['admin'],
    responses: { 200: json(z.object({ devices: z.array(deviceSchema) }), 'The devices') },
    example: {},
  },
  {
    method: 'delete',
    path: '/api/devices/{id}',
    operationId: 'revokeDevice',
    summary: "Revoke a device token (the device's sockets drop at once)",
    auth: 'staff',
    roles: ['admin'],
    params: z.object({ id: z.string().min(1).max(64) }),
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'Revoked') },
    errors: [404],
    example: { params: { id: '0b8e7d7e-1f7a-4a0c-8f5e-2f5d6c7b8a90' } },
  },
]);
