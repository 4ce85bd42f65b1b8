import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import { ApiContext } from './api/api-context';
import type { AdminInfo } from './api/api-types';
import { SignInView } from './auth/sign-in.view';
import { forgetToken, readToken, saveToken, takeTokenFromAddress } from './auth/token-store';
import { errorText } from './common/error-text';
import { type Notice, NoticeBar, NoticeContext } from './common/notice';
import { GroupsView } from './groups/groups.view';
import { HistoryView } from './history/history.view';
import {
  I18nContext,
  type Language,
  initialLanguage,
  rememberLanguage,
  translator,
} from './i18n/i18n';
import { TransferView } from './import-export/transfer.view';
import { AppHeader } from './layout/app-header.view';
import { type Route, useRoute } from './layout/route';
import { NodesView } from './nodes/nodes.view';
import { RolloutPage } from './rollouts/rollout.page';

function initialToken(): string | null {
  const fromLink = takeTokenFromAddress();
  if (fromLink) saveToken(fromLink);
  return fromLink ?? readToken();
}

/** The console: sign-in gate, header, and one page per route. */
export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const t = useMemo(() => translator(language), [language]);
  const [token, setToken] = useState<string | null>(initialToken);
  const [signInReason, setSignInReason] = useState<string | null>(null);
  const [info, setInfo] = useState<AdminInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const route = useRoute();

  useEffect(() => {
    rememberLanguage(language);
    document.title = t('app.title');
  }, [language]);

  const signOut = (reason: string | null) => {
    forgetToken();
    setToken(null);
    setInfo(null);
    setSignInReason(reason);
  };

  const api = useMemo(
    () => (token ? new ApiClient(token, () => signOut(t('signIn.expired'))) : null),
    [token],
  );

  useEffect(() => {
    if (!api) return;
    setInfoError(null);
    api.info().then(setInfo, (error: unknown) => setInfoError(errorText(error, t)));
  }, [api]);

  // A notice stays a few seconds, then the live region is cleared.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.kind === 'error' ? 12_000 : 6_000);
    return () => clearTimeout(timer);
  }, [notice]);

  const i18n = { language, t, setLanguage };
  return (
    <I18nContext.Provider value={i18n}>
      {!api ? (
        <>
          <AppHeader info={null} route={null} onSignOut={null} />
          <SignInView
            reason={signInReason}
            onSignedIn={(value) => {
              saveToken(value);
              setSignInReason(null);
              setToken(value);
            }}
          />
        </>
      ) : (
        <ApiContext.Provider value={api}>
          <NoticeContext.Provider value={setNotice}>
            <AppHeader info={info} route={route} onSignOut={() => signOut(null)} />
            <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
            <main id="main" tabIndex={-1}>
              {infoError && (
                <p role="alert" class="error-box">
                  {infoError}
                </p>
              )}
              <Page route={route} />
            </main>
          </NoticeContext.Provider>
        </ApiContext.Provider>
      )}
    </I18nContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'history':
      return <HistoryView key={route.name} name={route.name} />;
    case 'rollout':
      return <RolloutPage key={route.name} name={route.name} />;
    case 'nodes':
      return <NodesView />;
    case 'transfer':
      return <TransferView />;
    default:
      return <GroupsView />;
  }
}
