import type { ReactNode } from 'react';

/**
 * The overlay and dialog box of a modal that is not a form: a click on the backdrop or one of
 * `closeKeys` (Escape by default) closes it, and the key goes no further.
 */
export function ModalDialog({
  className,
  labelledBy,
  closeKeys = ['Escape'],
  onClose,
  children,
}: {
  className: string;
  labelledBy: string;
  closeKeys?: readonly string[];
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <div
      className="overlay"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className={className}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        onKeyDown={(e) => {
          if (closeKeys.includes(e.key)) {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      >
        {children}
      </div>
    </div>
  );
}
