/** The mail feature: the outbox, its sender on this node, the rules that enqueue mails from committed events (decision 38). */
import type { AppContext } from '../../context';
import type { BackgroundLoop } from '../../jobs/loop';
import type { FeatureModule } from '../../modules';
import { registerMailWaker } from './enqueue';
import { defaultMailLinks, type MailLinks } from './links';
import { mailApi } from './mail.openapi';
import { createMailRouter } from './mail.routes';
import { createMailRules } from './rules';
import { createMailSender, type MailSender } from './sender';

export interface MailModule extends FeatureModule {
  readonly sender: MailSender;
  /** The loop turning committed events into mails (tests drive it with `tick()`). */
  readonly rules: BackgroundLoop<number>;
  /** Replaces the links given (the portal's signed links, the surveys' links), keeping the others. */
  setLinks(links: Partial<MailLinks>): void;
}

export function createMailModule(
  ctx: AppContext,
  deps: { baseUrl: () => string; links?: MailLinks },
): MailModule {
  let links: MailLinks = deps.links ?? defaultMailLinks(deps.baseUrl);
  const sender = createMailSender(ctx, () => links);
  const rules = createMailRules(ctx, () => sender.wake());
  registerMailWaker(ctx, () => sender.wake());
  return {
    name: 'mail',
    sender,
    rules,
    setLinks(next) {
      links = { ...links, ...next };
    },
    http: [{ path: '/api', handler: createMailRouter(ctx) }],
    openapi: mailApi,
    onCommitted: (events) => rules.onCommitted(events),
    start() {
      rules.start();
      sender.start();
    },
    async stop() {
      await rules.stop();
      await sender.stop();
    },
  };
}
