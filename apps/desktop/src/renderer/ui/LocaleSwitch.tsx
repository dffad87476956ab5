import { Locale, useLocale, useT } from '../i18n/i18n';

export function LocaleSwitch() {
  const t = useT();
  const [locale, setLocale] = useLocale();
  return (
    <label className="locale-switch">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        value={locale}
        onChange={(event) =>
          setLocale(event.target.value === Locale.zhCN ? Locale.zhCN : Locale.en)
        }
      >
        <option value={Locale.zhCN}>简体中文</option>
        <option value={Locale.en}>English</option>
      </select>
    </label>
  );
}
