import { useState } from 'preact/hooks';
import { ApiError, api } from './api';
import type { Session } from './App';

/** The sign-in form: an app id and its master secret. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      await api('sign-in', { app_id: String(form.get('app_id') ?? ''), master_secret: String(form.get('master_secret') ?? '') });
      onSignedIn(await api<Session>('session'));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card">
      <h1 tabIndex={-1}>商户控制台登录</h1>
      <p class="note">用应用的 App ID 和 Master Secret 登录。持有 Master Secret 的人本就可以通过 REST 退款，控制台不授予更多权限。</p>
      <form onSubmit={submit}>
        <label for="app_id">App ID</label>
        <input id="app_id" name="app_id" autocomplete="username" required />
        <label for="master_secret">Master Secret</label>
        <input id="master_secret" name="master_secret" type="password" autocomplete="current-password" required />
        <button type="submit" class="primary" disabled={busy}>
          登录
        </button>
      </form>
      {error !== '' && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
