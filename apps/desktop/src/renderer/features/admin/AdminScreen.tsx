import type { MouseEvent } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import './admin.css';
import { CalendarsPanel } from './CalendarsPanel';
import { CompensationPanel } from '../reports/CompensationPanel';
import { DevicesPanel } from './DevicesPanel';
import { EscalationPanel } from './EscalationPanel';
import { GroupsPanel } from './GroupsPanel';
import { MailStatusLine } from './MailStatusLine';
import { SlaPanel } from './SlaPanel';
import { UsersPanel } from './UsersPanel';
import { WebhooksPanel } from './WebhooksPanel';

/** The admin area's sections, who sees each (the server decides; the console only hides). */
export const ADMIN_SECTIONS: ReadonlyArray<{
  id: string;
  label: MessageKey;
  roles: readonly string[];
}> = [
  { id: 'users', label: 'admin.nav.users', roles: ['admin', 'duty_manager'] },
  { id: 'groups', label: 'admin.nav.groups', roles: ['admin'] },
  { id: 'devices', label: 'admin.nav.devices', roles: ['admin'] },
  { id: 'webhooks', label: 'admin.nav.webhooks', roles: ['admin'] },
  { id: 'sla', label: 'admin.nav.sla', roles: ['admin'] },
  { id: 'calendars', label: 'admin.nav.calendars', roles: ['admin'] },
  { id: 'escalation', label: 'admin.nav.escalation', roles: ['admin', 'duty_manager'] },
  { id: 'compensation', label: 'admin.nav.compensation', roles: ['admin', 'duty_manager'] },
];

/** Roles that see the admin area at all. */
export const ADMIN_AREA_ROLES: readonly string[] = ['admin', 'duty_manager'];

/** The sections a user with these roles sees. */
export function listAdminSections(roles: readonly string[]): typeof ADMIN_SECTIONS {
  return ADMIN_SECTIONS.filter((s) => s.roles.some((r) => roles.includes(r)));
}

/**
 * `/admin/<section>`: accounts, groups, wallboard devices, webhooks, SLA policies and business
 * calendars, in a chunk of its own. A section
 * the user may not see (or an unknown one) shows the first they may.
 */
export function AdminScreen({ section }: { section: string }) {
  const t = useT();
  const roles = useAppStore((state) => state.session?.user.roles ?? []);
  const sections = listAdminSections(roles);
  const current = sections.find((s) => s.id === section) ?? sections[0];
  if (!current) return null;
  const go = (event: MouseEvent<HTMLAnchorElement>, id: string): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(`/admin/${id}`);
  };
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label={t('admin.nav.label')}>
        <h1 className="admin__title">{t('admin.title')}</h1>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a
                href={`/admin/${s.id}`}
                aria-current={s.id === current.id ? 'page' : undefined}
                onClick={(e) => go(e, s.id)}
              >
                {t(s.label)}
              </a>
            </li>
          ))}
        </ul>
        <MailStatusLine />
      </nav>
      <div className="admin__body" id="admin-main">
        {current.id === 'users' && <UsersPanel />}
        {current.id === 'groups' && <GroupsPanel />}
        {current.id === 'devices' && <DevicesPanel />}
        {current.id === 'webhooks' && <WebhooksPanel />}
        {current.id === 'sla' && <SlaPanel />}
        {current.id === 'calendars' && <CalendarsPanel />}
        {current.id === 'escalation' && <EscalationPanel />}
        {current.id === 'compensation' && <CompensationPanel />}
      </div>
    </div>
  );
}
