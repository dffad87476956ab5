import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import type { CommandInput } from '../../realtime/contract';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { Timeline } from './Timeline';
import type { CommandOutcome } from './useTicketCommand';

describe('<Timeline> comment box', () => {
  beforeEach(() => {
    localeStore.getState().setLocale('en');
    localStorage.clear();
  });
  afterEach(cleanup);

  it('keeps the text until stored, and sends a retry after no answer under the same commandId', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    const ticket = makeTicket({ id: 't1', number: 'INC-1', groupId: 'l1', status: 'received' });
    const answers: CommandOutcome[] = [
      { ok: false, ticketId: null, unanswered: true },
      { ok: true, ticketId: 't1' },
    ];
    const run = vi.fn(
      (_input: CommandInput, _options?: { commandId?: string }): Promise<CommandOutcome> =>
        Promise.resolve(answers.shift() ?? { ok: true, ticketId: 't1' }),
    );
    renderWith(<Timeline ticket={ticket} run={run} onTyping={() => undefined} />, services);
    const box = screen.getByRole('textbox', { name: 'Comment' });
    await user.type(box, 'Called back, fixed');
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    await waitFor(() => expect(run).toHaveBeenCalledTimes(1));
    // No answer (the server was away past the wait): the text stays.
    await waitFor(() => expect((box as HTMLTextAreaElement).readOnly).toBe(false));
    expect((box as HTMLTextAreaElement).value).toBe('Called back, fixed');
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe(''));
    const [first, second] = run.mock.calls;
    expect(first?.[1]?.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.[1]?.commandId).toBe(first?.[1]?.commandId);
    expect(first?.[0]).not.toHaveProperty('expectedVersion');
  });
});
