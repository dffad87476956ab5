import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { LocaleSwitch } from './LocaleSwitch';
import { ThemeSwitch } from './ThemeSwitch';

/**
 * The signed-in user's menu at the end of the top bar: who is signed in, the language, the
 * theme and sign-out. One button on the bar instead of four controls, so the bar keeps its
 * width for the screens' navigation in every language (decision 46). A disclosure, not an ARIA
 * menu: it holds form controls. Escape or a click outside closes it and focus returns to the
 * button.
 */
export function UserMenu({
  displayName,
  onSignOut,
}: {
  displayName: string;
  onSignOut: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--quiet user-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="user-menu"
        title={t('app.signedInAs', { name: displayName })}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="topbar__user" aria-hidden="true">
          {displayName}
        </span>
        <span className="visually-hidden">{t('app.signedInAs', { name: displayName })}</span>
        <span aria-hidden="true" className="user-menu__caret">
          ▾
        </span>
      </button>
      {open && (
        <div id={panelId} className="user-menu__panel" role="group" aria-label={t('app.userMenu')}>
          <p className="user-menu__who">{t('app.signedInAs', { name: displayName })}</p>
          <label className="user-menu__row">
            <span>{t('app.language')}</span>
            <LocaleSwitch bare />
          </label>
          <label className="user-menu__row">
            <span>{t('app.theme')}</span>
            <ThemeSwitch bare />
          </label>
          <button type="button" className="button user-menu__signout" onClick={onSignOut}>
            {t('app.signOut')}
          </button>
        </div>
      )}
    </div>
  );
}
