import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * Subscriptions for the examples. Their URL is a loopback port nobody listens on (the test
 * server allows 127.0.0.1): the example's public host would need DNS, and nothing may leave
 * the machine.
 */
const URL = 'http://127.0.0.1:9/openapi-test';

export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const create = async (): Promise<string> =>
    (await call<{ id: string }>('POST', '/api/webhooks', { url: URL, events: ['sla.breached'] }))
      .id;
  const params = { id: await create() };
  return {
    createWebhook: { body: (e) => ({ ...e, url: URL }) },
    getWebhook: { params },
    updateWebhook: { params },
    pauseWebhook: { params },
    resumeWebhook: { params },
    rotateWebhookSecret: { params },
    listWebhookDeliveries: { params },
    replayWebhook: { params },
    deleteWebhook: { params: { id: await create() } },
  };
};
