import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { LoginFailure } from '../../app/api';
import { useServices } from '../../app/services';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { LocaleSwitch } from '../../ui/LocaleSwitch';
import { ThemeSwitch } from '../../ui/ThemeSwitch';

const FAILURE_MESSAGE: Record<LoginFailure, MessageKey> = {
  [LoginFailure.invalid]: 'login.error.invalid',
  [LoginFailure.rateLimited]: 'login.error.rateLimited',
  [LoginFailure.network]: 'login.error.network',
  [LoginFailure.unexpected]: 'login.error.unexpected',
};

export function LoginView() {
  const t = useT();
  const { api, store, host } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    // Asked inside the click: browsers only grant notification prompts to a user gesture.
    host.requestNotificationPermission();
    const result = await api.login(username.trim(), password);
    setBusy(false);
    if (result.ok) {
      setPassword('');
      store.getState().signIn(result.session);
      return;
    }
    setError(
      result.reason === LoginFailure.rateLimited && result.retryAfterSeconds
        ? t('login.error.retryIn', { seconds: result.retryAfterSeconds })
        : t(FAILURE_MESSAGE[result.reason], { status: result.status ?? '?' }),
    );
  };

  return (
    <main className="login">
      <form className="login__card" onSubmit={(event) => void submit(event)} noValidate>
        <div className="login__head">
          <h1>{t('login.title')}</h1>
          <LocaleSwitch />
          <ThemeSwitch />
        </div>
        <label className="field">
          <span className="field__label">{t('login.username')}</span>
          <input
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        {error && (
          <p id={errorId} className="login__error" role="alert">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || username.trim() === '' || password === ''}
        >
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
