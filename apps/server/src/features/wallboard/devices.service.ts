import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { findUserByUsername, type UserRecord } from '../auth';
import { createUser, logout, openSession } from '../auth';
import { findDevice, listDevices, type DeviceRecord } from './devices.repo';

/** The one account every wallboard device session belongs to (role `wallboard` only). */
export const DEVICE_USERNAME = 'wallboard-devices';
/** Device tokens live a year unless the admin asks otherwise. */
export const DEFAULT_DEVICE_DAYS = 365;

/** Checks `{ label, days? }`: a 1–100 character label, 1–3650 days. */
function parseCreateDevice(body: unknown): { label: string; days: number } {
  const b = (body ?? {}) as Record<string, unknown>;
  const fields: Array<{ path: string; message: string }> = [];
  const label = typeof b.label === 'string' ? b.label.trim() : '';
  if (label.length < 1 || label.length > 100) {
    fields.push({ path: 'label', message: '1–100 characters' });
  }
  const days = b.days ?? DEFAULT_DEVICE_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650) {
    fields.push({ path: 'days', message: 'a whole number from 1 to 3650' });
  }
  const unknown = Object.keys(b).filter((k) => k !== 'label' && k !== 'days');
  for (const k of unknown) fields.push({ path: k, message: 'unknown field' });
  if (typeof body !== 'object' || body === null || fields.length > 0) {
    throw new HttpError('invalid', 'Invalid device', fields);
  }
  return { label, days: days as number };
}

/** The device account, created on first use with a random password nobody knows. */
async function ensureDeviceUser(ctx: AppContext): Promise<UserRecord> {
  let user = await findUserByUsername(ctx.database.db, DEVICE_USERNAME);
  if (!user) {
    try {
      await createUser(ctx, {
        username: DEVICE_USERNAME,
        password: randomBytes(24).toString('base64url'),
        displayName: 'Wallboard devices',
        roles: ['wallboard'],
      });
    } catch (err) {
      // Two admins at once: the other request created it.
      if (!(err instanceof HttpError && err.code === 'conflict')) throw err;
    }
    user = await findUserByUsername(ctx.database.db, DEVICE_USERNAME);
  }
  if (!user || user.disabled || user.roles.length !== 1 || user.roles[0] !== 'wallboard') {
    throw new HttpError(
      'conflict',
      `User "${DEVICE_USERNAME}" exists and is not a wallboard-only account; rename it`,
    );
  }
  return user;
}

/** Creates a read-only device token; the token is returned once and stored hashed. */
export async function createDevice(
  ctx: AppContext,
  body: unknown,
): Promise<{ id: string; token: string; label: string; expiresAt: string }> {
  const { label, days } = parseCreateDevice(body);
  const user = await ensureDeviceUser(ctx);
  const opened = await openSession(ctx, user, 'device', label, days * 86_400_000);
  return {
    id: opened.sessionId,
    token: opened.token,
    label,
    expiresAt: opened.expiresAt.toISOString(),
  };
}

export async function readDevices(ctx: AppContext): Promise<DeviceRecord[]> {
  return listDevices(ctx.database.db);
}

/** Revokes a device token; its sockets drop at once. 404 for an unknown id. */
export async function revokeDevice(ctx: AppContext, id: string): Promise<void> {
  const device = await findDevice(ctx.database.db, id);
  if (!device) throw new HttpError('not_found', `No device ${id}`);
  await logout(ctx, device.id);
}
