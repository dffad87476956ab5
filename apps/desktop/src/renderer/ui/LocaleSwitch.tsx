import { LOCALE_NAMES, LOCALES, readLocale, useLocale, useT } from '../i18n/i18n';

/**
 * The console's language: every catalogue, each named in itself. `bare`: the select alone, for a
 * place that labels it itself (the user menu).
 */
export function LocaleSwitch({ bare = false }: { bare?: boolean }) {
  const t = useT();
  const [locale, setLocale] = useLocale();
  const select = (
    <select
      value={locale}
      data-testid="locale-switch"
      onChange={(event) => setLocale(readLocale(event.target.value) ?? locale)}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </select>
  );
  if (bare) return select;
  return (
    <label className="locale-switch">
      <span className="visually-hidden">{t('app.language')}</span>
      {select}
    </label>
  );
}
