import { useStore } from 'zustand';
import { useT } from '../i18n/i18n';
import { readTheme, Theme, themeStore } from './theme';

/**
 * System / light / dark, beside the language; kept per browser profile like the language.
 * `bare`: the select alone, for a place that labels it itself (the user menu).
 */
export function ThemeSwitch({ bare = false }: { bare?: boolean }) {
  const t = useT();
  const theme = useStore(themeStore, (state) => state.theme);
  const setTheme = useStore(themeStore, (state) => state.setTheme);
  const select = (
    <select
      value={theme}
      data-testid="theme-switch"
      onChange={(event) => setTheme(readTheme(event.target.value))}
    >
      <option value={Theme.system}>{t('theme.system')}</option>
      <option value={Theme.light}>{t('theme.light')}</option>
      <option value={Theme.dark}>{t('theme.dark')}</option>
    </select>
  );
  if (bare) return select;
  return (
    <label className="locale-switch">
      <span className="visually-hidden">{t('app.theme')}</span>
      {select}
    </label>
  );
}
