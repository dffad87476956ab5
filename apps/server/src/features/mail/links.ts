/**
 * The links a mail carries (decision 38). `MailLinks` is injectable: the customer portal
 * (signed per-ticket links) and the surveys feature (the survey links, decision 53) provide the
 * real ones (`setLinks` replaces the links given, keeping the others); until
 * then the default points at `${DUTYDESK_PUBLIC_URL}/portal/…` with the ticket and contact, a
 * link the portal will answer (an unsigned link shows nothing by itself). Links are made when a
 * mail is sent, never stored in the outbox (a signed link is a credential).
 */
export interface MailLinks {
  /** The customer's page of one ticket. */
  ticketLink(ticketId: string, contactId: string): string | Promise<string>;
  /** The satisfaction survey of a resolved ticket. */
  surveyLink(ticketId: string, contactId: string): string | Promise<string>;
  /** The quarterly NPS survey of a contact (`round`: `2026-Q4`). */
  npsLink(contactId: string, round: string): string | Promise<string>;
  /** The ticket in the staff console (staff alerts). */
  staffTicketLink(ticketId: string): string;
}

/** The default links under `baseUrl` (the public URL, or the server's own address). */
export function defaultMailLinks(baseUrl: () => string): MailLinks {
  const q = (contactId: string) => `contact=${encodeURIComponent(contactId)}`;
  return {
    ticketLink: (ticketId, contactId) =>
      `${baseUrl()}/portal/tickets/${encodeURIComponent(ticketId)}?${q(contactId)}`,
    surveyLink: (ticketId, contactId) =>
      `${baseUrl()}/portal/tickets/${encodeURIComponent(ticketId)}/survey?${q(contactId)}`,
    npsLink: (contactId, round) =>
      `${baseUrl()}/portal/survey?${q(contactId)}&round=${encodeURIComponent(round)}`,
    staffTicketLink: (ticketId) => `${baseUrl()}/tickets/${encodeURIComponent(ticketId)}`,
  };
}
