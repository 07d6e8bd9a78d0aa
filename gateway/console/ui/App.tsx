import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setCsrf, whenSignedOut } from './api';
import { BillPage } from './BillPage';
import { Bills } from './Bills';
import { Overview } from './Overview';
import { Settings } from './Settings';
import { SignIn } from './SignIn';
import { Webhooks } from './Webhooks';

/** Who is signed in, as GET /console/api/session says. */
export interface Session {
  app_id: string;
  csrf: string;
  store: { description: string; durable: boolean };
}

const NAV: Array<[string, string]> = [
  ['#/', '概览'],
  ['#/bills', '账单'],
  ['#/webhooks', 'Webhook'],
  ['#/settings', '按钮设置'],
];

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const update = () => setHash(location.hash || '#/');
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return hash;
}

/** The console: the sign-in form until a session exists, then the page the hash names. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const hash = useHash();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    api<Session>('session').then(
      (found) => {
        setCsrf(found.csrf);
        setSession(found);
      },
      () => setSession(null),
    );
  }, []);
  // A new page moves focus to its heading, so that a screen reader and the keyboard start there.
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [hash, session === null ? '' : session?.app_id]);

  if (session === undefined) return <main class="narrow" ref={main}><p role="status">正在加载…</p></main>;
  if (session === null) {
    return (
      <main class="narrow" ref={main}>
        <SignIn
          onSignedIn={(found) => {
            setCsrf(found.csrf);
            setSession(found);
          }}
        />
      </main>
    );
  }
  const billId = /^#\/bills\/([^/?]+)/.exec(hash)?.[1];
  const section = billId !== undefined ? '#/bills' : (NAV.find(([href]) => href !== '#/' && hash.startsWith(href))?.[0] ?? '#/');
  const signOut = async () => {
    await api('sign-out', {}).catch(() => undefined);
    setSession(null);
  };
  return (
    <>
      <header class="top">
        <span class="brand">秒支付 Button 控制台</span>
        <span class="who">应用 {session.app_id}</span>
        <nav aria-label="控制台">
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={section === href ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="link-button" onClick={signOut}>
          退出登录
        </button>
      </header>
      <main ref={main}>
        {billId !== undefined ? (
          <BillPage id={decodeURIComponent(billId)} />
        ) : section === '#/bills' ? (
          <Bills hash={hash} />
        ) : section === '#/webhooks' ? (
          <Webhooks />
        ) : section === '#/settings' ? (
          <Settings session={session} />
        ) : (
          <Overview />
        )}
      </main>
    </>
  );
}
