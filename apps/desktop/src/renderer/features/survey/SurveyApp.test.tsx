import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SurveyInvitationView } from '@dutydesk/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { SurveyApp } from './SurveyApp';
import { readSurveyToken, SurveyError, type SurveyApi } from './surveyApi';

const TOKEN = 'Zm9yLXRoZS1zdXJ2ZXktdGVzdC1vbmx5LTEyMzQ1Njc4OTA';

function survey(over: Partial<SurveyInvitationView> = {}): SurveyInvitationView {
  return {
    kind: 'csat',
    state: 'open',
    ticketNumber: 'INC-2026-000042',
    ticketTitle: 'Printer jam',
    locale: 'en',
    expiresAt: '2027-01-01T00:00:00.000Z',
    ...over,
  };
}

function fakeApi(view: SurveyInvitationView | SurveyError, followUp = false) {
  const answer = vi.fn((_t: string, _s: number, _c: string) =>
    Promise.resolve({ answerId: 'a-1', kind: 'csat' as const, followUp }),
  );
  const api: SurveyApi = {
    open: vi.fn(() => (view instanceof SurveyError ? Promise.reject(view) : Promise.resolve(view))),
    answer,
  };
  return { api, answer };
}

describe('the survey page', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    localeStore.getState().setLocale('en');
    localStorage.clear();
    window.history.replaceState(null, '', `/survey#${TOKEN}`);
  });
  afterEach(cleanup);

  it('reads the token from the fragment only, and takes it out of the address bar', async () => {
    expect(readSurveyToken(`#${TOKEN}`)).toBe(TOKEN);
    expect(readSurveyToken('#short')).toBeNull();
    const { api } = fakeApi(survey());
    render(<SurveyApp api={api} />);
    await screen.findByTestId('survey-form');
    expect(api.open).toHaveBeenCalledWith(TOKEN);
    expect(window.location.hash).toBe('');
  });

  it('a digit picks the score, the comment goes with it, and a low score says the duty manager will call', async () => {
    const { api, answer } = fakeApi(survey(), true);
    render(<SurveyApp api={api} />);
    await screen.findByText('Ticket INC-2026-000042: Printer jam');
    fireEvent.keyDown(document.body, { key: '1' });
    expect((screen.getByLabelText('1 of 5') as HTMLInputElement).checked).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText('1 of 5'));
    // A second digit changes it; a digit out of the scale does nothing (arrow keys are the
    // native radio group's).
    fireEvent.keyDown(document.body, { key: '2' });
    fireEvent.keyDown(document.body, { key: '9' });
    expect((screen.getByLabelText('2 of 5') as HTMLInputElement).checked).toBe(true);
    fireEvent.keyDown(document.body, { key: '1' });
    await userEvent.type(screen.getByRole('textbox'), 'Three days to fix');
    await userEvent.click(screen.getByRole('button', { name: 'Send answer' }));
    await screen.findByTestId('survey-thanks');
    expect(answer).toHaveBeenCalledWith(TOKEN, 1, 'Three days to fix');
    expect(screen.getByText(/duty manager will contact you/)).toBeTruthy();
  });

  it('NPS 0–10: "1" then "0" is 10; sending without a score asks for one', async () => {
    const { api, answer } = fakeApi(survey({ kind: 'nps', ticketNumber: null, ticketTitle: null }));
    render(<SurveyApp api={api} />);
    await screen.findByText('How likely are you to recommend our service to a colleague?');
    expect(screen.getAllByRole('radio')).toHaveLength(11);
    await userEvent.click(screen.getByRole('button', { name: 'Send answer' }));
    expect(screen.getByRole('alert').textContent).toBe('Choose a score first.');
    fireEvent.keyDown(document.body, { key: '1' });
    fireEvent.keyDown(document.body, { key: '0' });
    expect((screen.getByLabelText('10 of 10') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Send answer' }));
    await waitFor(() => expect(answer).toHaveBeenCalledWith(TOKEN, 10, ''));
  });

  it('opens in the contact’s language, and says clearly when a link is unknown, expired or used', async () => {
    const { api } = fakeApi(survey({ locale: 'zh-CN' }));
    render(<SurveyApp api={api} />);
    await screen.findByText('您对我们这次处理您的请求满意吗？');
    cleanup();
    localeStore.getState().setLocale('en');
    for (const [reason, words] of [
      ['expired', 'This survey link has expired'],
      ['unknown', 'This survey link is not valid'],
    ] as const) {
      window.history.replaceState(null, '', `/survey#${TOKEN}`);
      render(<SurveyApp api={fakeApi(new SurveyError(reason, reason)).api} />);
      expect((await screen.findByTestId('survey-refused')).textContent).toContain(words);
      cleanup();
    }
    window.history.replaceState(null, '', `/survey#${TOKEN}`);
    render(<SurveyApp api={fakeApi(survey({ state: 'answered' })).api} />);
    expect((await screen.findByTestId('survey-refused')).textContent).toContain('answered already');
  });
});
