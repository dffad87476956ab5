import type { OpenApiFixtures } from '../openapi/openapi.testing';

/** An integration token for the doors' examples, and an integration and a device to delete. */
export const openapiFixtures: OpenApiFixtures = async (api) => {
  const door = await api.call<{ id: string; token: string }>('POST', '/api/integrations', {
    name: 'openapi doors',
    kind: 'other',
  });
  const doomed = await api.call<{ id: string }>('POST', '/api/integrations', {
    name: 'openapi revoke',
    kind: 'other',
  });
  await api.call('PUT', '/api/intake/devices/gw-old', { thresholds: { cpu_load: 80 } });
  return {
    revokeIntegration: { params: { id: doomed.id } },
    intakeAlertmanager: { token: door.token },
    intakeMetrics: { token: door.token },
    intakeCall: { token: door.token },
    intakeChat: { token: door.token },
  };
};
