import { LOCALE_NAMES, LOCALES, readLocale, useLocale, useT } from '../i18n/i18n';

/** The console's language: every catalogue, each named in itself. */
export function LocaleSwitch() {
  const t = useT();
  const [locale, setLocale] = useLocale();
  return (
    <label className="locale-switch">
      <span className="visually-hidden">{t('app.language')}</span>
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
    </label>
  );
}
