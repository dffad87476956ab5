import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * A ticket with a contact and a public attachment, a signed link to it (and one to revoke),
 * contacts for the account examples, an account that signs in with the example's login, and
 * a session to end.
 */
export const openapiFixtures: OpenApiFixtures = async ({ admin, call, url }) => {
  const contact = async (name: string, email: string) =>
    (await call<{ id: string }>('POST', '/api/contacts', { name, email })).id;
  const owner = await contact('OpenAPI Owner', 'openapi.owner@example.com');
  const fresh = await contact('OpenAPI Fresh', 'openapi.fresh@example.com');
  const doomed = await contact('OpenAPI Doomed', 'openapi.doomed@example.com');
  const signer = await contact('Li Wei', 'li.wei@example.com');
  const ack = await call<{ ticket: { id: string } }>('POST', '/api/commands', {
    commandId: 'openapi-portal-ticket',
    type: 'ticket.create',
    title: 'Portal fixture ticket',
    description: '',
    channel: 'email',
    contactId: owner,
  });
  const ticketId = ack.ticket.id;
  const form = new FormData();
  form.append('file', new Blob(['signed acceptance\n'], { type: 'text/plain' }), 'accept.txt');
  const up = await fetch(`${url}/api/tickets/${ticketId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
    body: form,
  });
  if (up.status !== 201) throw new Error(`fixture upload: ${up.status} ${await up.text()}`);
  const attachment = (await up.json()) as { id: string };
  const link = await call<{ token: string }>('POST', '/api/portal/links', { ticketId });
  const revoked = await call<{ id: string }>('POST', '/api/portal/links', { ticketId });
  const account = await call<{ id: string }>('POST', '/api/portal/accounts', {
    contactId: doomed,
    password: 'doomed-password-1',
  });
  await call('POST', '/api/portal/accounts', {
    contactId: signer,
    password: 'correct horse battery',
  });
  const session = await call<{ token: string }>('POST', '/api/portal/login', {
    login: 'li.wei@example.com',
    password: 'correct horse battery',
  });
  return {
    createPortalLink: { body: (b) => ({ ...b, ticketId }) },
    revokePortalLink: { params: { id: revoked.id } },
    createPortalAccount: { body: (b) => ({ ...b, contactId: fresh }) },
    disablePortalAccount: { params: { id: account.id } },
    portalLogout: { token: session.token },
    portalMe: { token: link.token },
    portalTickets: { token: link.token },
    portalTicket: { params: { id: ticketId }, token: link.token },
    portalAttachment: { params: { id: ticketId, attachmentId: attachment.id }, token: link.token },
    portalCommand: { body: (b) => ({ ...b, ticketId }), token: link.token },
  };
};
