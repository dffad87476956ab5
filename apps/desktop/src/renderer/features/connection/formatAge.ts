import type { Translate } from '../../i18n/i18n';

/** Coarse age of the last update: seconds, minutes, hours or days. */
export function formatAge(t: Translate, ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return t('age.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { n: hours });
  return t('age.days', { n: Math.floor(hours / 24) });
}
