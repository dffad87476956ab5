import { useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n/i18n';
import type { PaletteAction } from './paletteRegistry';

/**
 * Ctrl/Cmd+K: type to filter the frequent actions, arrows to move, Enter to
 * run. Focus returns where it was when the palette closes.
 */
export function CommandPalette({
  actions,
  onClose,
}: {
  actions: readonly PaletteAction[];
  onClose(): void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    inputRef.current?.focus();
    return () => opener?.focus();
  }, [opener]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? actions.filter((a) => a.label.toLowerCase().includes(q)) : actions;
  }, [actions, query]);
  const current = Math.min(index, Math.max(0, matches.length - 1));
  const choose = (action: PaletteAction | undefined): void => {
    if (!action) return;
    onClose();
    // After the palette is gone and focus restored, so the action can move focus itself.
    queueMicrotask(() => action.run());
  };
  return (
    <div
      className="overlay overlay--top"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="palette" role="dialog" aria-modal="true" aria-label={t('palette.title')}>
        <input
          ref={inputRef}
          className="palette__input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[current] ? `palette-${matches[current].id}` : undefined}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              onClose();
            } else if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex(Math.min(matches.length - 1, current + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex(Math.max(0, current - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(matches[current]);
            }
          }}
        />
        <ul
          id="palette-list"
          className="palette__list"
          role="listbox"
          aria-label={t('palette.title')}
        >
          {matches.length === 0 && <li className="palette__empty">{t('palette.empty')}</li>}
          {matches.map((action, i) => (
            <li
              key={action.id}
              id={`palette-${action.id}`}
              role="option"
              aria-selected={i === current}
              className="palette__item"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(action)}
            >
              <span>{action.label}</span>
              {action.shortcut && <kbd className="kbd">{action.shortcut}</kbd>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
