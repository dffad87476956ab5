import { useT } from '../../i18n/i18n';

/**
 * Placeholder route for the service-hall wallboard (big type, dark, no
 * interaction); its content and device-token connection come with the
 * wallboard feature.
 */
export function WallboardView() {
  const t = useT();
  return (
    <main className="wallboard">
      <h1>{t('wallboard.title')}</h1>
      <p>{t('wallboard.placeholder')}</p>
    </main>
  );
}
