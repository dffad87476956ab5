/** The customer portal feature (decision 52): signed links, customer accounts, the portal's API and pages, and the links mails carry. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { BlobStore } from '../attachments';
import { defaultMailLinks, type MailLinks } from '../mail';
import { mintPortalLink } from './access';
import { portalApi } from './portal.openapi';
import { createPortalPages } from './pages';
import { createPortalRouter, portalTicketUrl } from './portal.routes';

export interface PortalModule extends FeatureModule {
  /** The links mails carry: a fresh signed link per mail (made when it is sent, never stored). */
  readonly mailLinks: MailLinks;
}

export function createPortalModule(
  ctx: AppContext,
  deps: { baseUrl: () => string; store: BlobStore; staticDir: string },
): PortalModule {
  const staffLinks = defaultMailLinks(deps.baseUrl);
  const mailLinks: MailLinks = {
    async ticketLink(ticketId, contactId) {
      const { token } = await mintPortalLink(ctx, { ticketId, contactId, createdBy: null });
      return portalTicketUrl(deps.baseUrl(), ticketId, token);
    },
    // The survey links are the surveys feature's (decision 53: it sets them on the mail module).
    surveyLink: (ticketId, contactId) => staffLinks.surveyLink(ticketId, contactId),
    npsLink: (contactId, round) => staffLinks.npsLink(contactId, round),
    staffTicketLink: (ticketId) => staffLinks.staffTicketLink(ticketId),
  };
  return {
    name: 'portal',
    mailLinks,
    http: [
      { path: '/api', handler: createPortalRouter(ctx, deps) },
      { path: '/portal', handler: createPortalPages(ctx, deps.staticDir) },
    ],
    openapi: portalApi,
  };
}
