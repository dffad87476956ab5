import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { ModalDialog } from '../../ui/ModalDialog';

/** Every shortcut of the console, by where it works. */
export const SHORTCUTS: ReadonlyArray<{
  section: MessageKey;
  keys: ReadonlyArray<[string, MessageKey]>;
}> = [
  {
    section: 'help.global',
    keys: [
      ['Ctrl/⌘ K', 'help.palette'],
      ['?', 'help.help'],
      ['c', 'help.create'],
      ['f', 'help.search'],
      ['g q', 'help.goQueue'],
      ['g d', 'help.goDuty'],
      ['g r', 'help.goRoster'],
      ['g k', 'help.goKb'],
      ['g m', 'help.goReports'],
      ['g p', 'help.goProblems'],
      ['Alt Shift A', 'help.ackAlert'],
    ],
  },
  {
    section: 'help.queue',
    keys: [
      ['/', 'help.filter'],
      ['j / k, ↓ / ↑', 'help.move'],
      ['Enter', 'help.open'],
    ],
  },
  {
    section: 'help.ticket',
    keys: [
      ['Esc', 'help.back'],
      ['l', 'action.classify'],
      ['r', 'action.assign'],
      ['a', 'action.accept'],
      ['p', 'action.pend'],
      ['u', 'action.resume'],
      ['v', 'action.resolve'],
      ['x', 'help.refuse'],
      ['e', 'help.focusExecution'],
      ['s', 'help.focusSupervision'],
      ['m', 'help.focusComment'],
    ],
  },
  {
    section: 'help.duty',
    keys: [
      ['j / k', 'help.move'],
      ['r', 'help.reassign'],
      ['Enter', 'help.open'],
    ],
  },
];

const HELP_CLOSE_KEYS = ['Escape', '?'];

/** `?`: the shortcuts, in both languages like everything else. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const t = useT();
  const closeRef = useRef<HTMLButtonElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    closeRef.current?.focus();
    return () => opener?.focus();
  }, [opener]);
  return (
    <ModalDialog
      className="dialog help"
      labelledBy="help-title"
      closeKeys={HELP_CLOSE_KEYS}
      onClose={onClose}
    >
      <h2 id="help-title">{t('help.title')}</h2>
      <div className="help__grid">
        {SHORTCUTS.map((group) => (
          <section key={group.section}>
            <h3 className="section-title">{t(group.section)}</h3>
            <dl className="help__list">
              {group.keys.map(([key, label]) => (
                <div key={key + label} className="help__row">
                  <dt>
                    <kbd className="kbd">{key}</kbd>
                  </dt>
                  <dd>{t(label)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className="dialog__buttons">
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('help.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
