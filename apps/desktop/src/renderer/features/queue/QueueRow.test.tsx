import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { makeTicket } from '../../test/fixtures';
import { renderWith } from '../../test/render';
import { QueueRow } from './QueueRow';

describe('<QueueRow>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  const row = (majorIncident: boolean) => (
    <QueueRow
      ticket={makeTicket({ id: 't1', number: 'INC-1', title: 'Core switch down', majorIncident })}
      index={0}
      setSize={1}
      selected={false}
      onSelect={() => undefined}
      onOpen={() => undefined}
    />
  );

  it('marks a major incident, with an accessible label in the seat language', () => {
    renderWith(row(true));
    expect(screen.getByRole('img', { name: 'Major incident' })).toBeTruthy();
    cleanup();
    localeStore.getState().setLocale('zh-CN');
    renderWith(row(true));
    expect(screen.getByRole('img', { name: '重大事件' })).toBeTruthy();
  });

  it('shows no marker on other tickets, and the whole title as the tooltip', () => {
    renderWith(row(false));
    expect(screen.queryByTestId('major-mark')).toBeNull();
    expect(screen.getByText('Core switch down').closest('[title]')?.getAttribute('title')).toBe(
      'Core switch down',
    );
  });
});
