import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** A device token to revoke. */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const device = await call<{ id: string }>('POST', '/api/devices', { label: 'fixture board' });
  return { revokeDevice: { params: { id: device.id } } };
};
