import type { OpenApiFixtures } from '../openapi/openapi.testing';
import { EXAMPLE_BOUNDARY } from './attachments.openapi';

/** A ticket to attach to, and an attachment on it to list and download. */
export const openapiFixtures: OpenApiFixtures = async ({ admin, createTicket, url }) => {
  const t = await createTicket();
  const form = new FormData();
  form.append('file', new Blob(['02:00 backup failed\n'], { type: 'text/plain' }), 'backup.log');
  const res = await fetch(`${url}/api/tickets/${t.id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`fixture upload: ${res.status} ${await res.text()}`);
  const attachment = (await res.json()) as { id: string };
  return {
    uploadAttachment: {
      params: { id: t.id },
      contentType: `multipart/form-data; boundary=${EXAMPLE_BOUNDARY}`,
    },
    listTicketAttachments: { params: { id: t.id } },
    downloadAttachment: { params: { id: attachment.id } },
  };
};
