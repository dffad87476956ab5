/** The e-mail intake: the SMTP listener and the IMAP poller, both off unless configured (decision 42). */
import type { AppContext } from '../../context';
import type { BackgroundLoop } from '../../jobs/loop';
import type { FeatureModule } from '../../modules';
import type { BlobStore } from '../attachments';
import { createImapPoller, type ImapPollReport } from './imap';
import { createMailIntake, type MailIntake } from './intake';
import { startSmtpListener, type SmtpListener } from './smtp';

export interface MailInModule extends FeatureModule {
  readonly intake: MailIntake;
  /** The SMTP listener once started (null when `DUTYDESK_SMTP_LISTEN` is unset). */
  smtp(): SmtpListener | null;
  /** The IMAP poller (null when `DUTYDESK_IMAP_URL` is unset); tests drive it with `tick()`. */
  readonly imap: BackgroundLoop<ImapPollReport> | null;
}

export function createMailInModule(ctx: AppContext, deps: { store: BlobStore }): MailInModule {
  const intake = createMailIntake(ctx, deps.store);
  const cfg = ctx.config.mailIn;
  const imap = cfg.imapUrl ? createImapPoller(ctx, intake) : null;
  let listener: SmtpListener | null = null;
  return {
    name: 'mailin',
    intake,
    imap,
    smtp: () => listener,
    async prepare() {
      // Before the server listens: a port taken fails the start, as the HTTP port does.
      if (cfg.smtpPort !== null) listener = await startSmtpListener(ctx, intake);
    },
    start() {
      imap?.start();
    },
    async stop() {
      await listener?.close();
      listener = null;
      await imap?.stop();
    },
  };
}
