import { useT } from '../i18n/i18n';
import type { Priority } from '../realtime/contract';

/** Priority as colour and label together: P1 red, P2 yellow, P3 blue. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  const t = useT();
  return (
    <span className={`priority priority--${priority}`} title={t(`priority.${priority}.name`)}>
      {t(`priority.${priority}`)}
    </span>
  );
}
