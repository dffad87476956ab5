import { mailStatusSchema } from '@dutydesk/shared';
import { defineApi, json, named } from '../openapi';

/** Outgoing e-mail (mail.routes.ts, decision 38). */
export const mailApi = defineApi('mail', [
  {
    method: 'get',
    path: '/api/mail/status',
    operationId: 'getMailStatus',
    tagDescription:
      'Outgoing e-mail: whether an SMTP server is configured and the outbox (admins; decision 38).',
    summary: 'Whether mail goes out, the outbox depth and the last failure',
    description:
      "Without `DUTYDESK_SMTP_URL` nothing is sent: `configured` is false and mails wait in the outbox (`queued`) until `DUTYDESK_MAIL_MAX_AGE_HOURS`, then count as `failed`. The SMTP URL's credentials are never answered.",
    auth: 'staff',
    roles: ['admin'],
    responses: { 200: json(named(mailStatusSchema, 'MailStatus'), 'The mail status') },
    example: {},
  },
]);
