import { useState } from 'preact/hooks';
import { ApiClient } from '../api/api-client';
import { errorText } from '../common/error-text';
import { useI18n } from '../i18n/i18n';

interface SignInProps {
  onSignedIn: (token: string) => void;
  /** Why the operator is here again (a rejected or expired token). */
  reason: string | null;
}

/** Asks for the admin token and checks it against the API before keeping it. */
export function SignInView({ onSignedIn, reason }: SignInProps) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError(t('signIn.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await new ApiClient(value).info();
      onSignedIn(value);
    } catch (caught) {
      const rejected = caught instanceof Error && 'status' in caught && caught.status === 401;
      setError(rejected ? t('signIn.rejected') : errorText(caught, t));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <form class="panel" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <p>{t('signIn.intro')}</p>
        {reason && (
          <p role="alert" class="error-text">
            {reason}
          </p>
        )}
        <label class="field">
          <span>{t('signIn.token')}</span>
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            value={token}
            autoFocus
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p role="alert" class="error-text">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
