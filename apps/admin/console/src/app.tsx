import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import { ApiContext } from './api/api-context';
import { ApiError } from './api/api-error';
import type { AdminInfo, EnvironmentInfo, Session } from './api/api-types';
import { ChangesView } from './environments/changes.view';
import { CompareView } from './environments/compare.view';
import { readEnvironment, saveEnvironment } from './environments/environment-store';
import { AuditView } from './audit/audit.view';
import { roleAllows, SessionContext } from './auth/session-context';
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
  useI18n,
} from './i18n/i18n';
import { TransferView } from './import-export/transfer.view';
import { AppHeader } from './layout/app-header.view';
import { type Route, routeHref, useRoute } from './layout/route';
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
  const [session, setSession] = useState<Session | null>(null);
  const [sessionError, setSessionError] = useState<string | null>(null);
  const route = useRoute();
  const [env, setEnv] = useState<string | null>(readEnvironment);
  const [environments, setEnvironments] = useState<EnvironmentInfo[] | null>(null);

  useEffect(() => {
    rememberLanguage(language);
    document.title = t('app.title');
  }, [language]);

  const signOut = (reason: string | null) => {
    forgetToken();
    setToken(null);
    setInfo(null);
    setSession(null);
    setSignInReason(reason);
  };

  const base = useMemo(
    () => (token ? new ApiClient(token, () => signOut(t('signIn.expired'))) : null),
    [token],
  );
  // Every call of every page goes to the chosen environment (`?env=`).
  const api = useMemo(() => base?.inEnvironment(env) ?? null, [base, env]);

  useEffect(() => {
    if (!base) return;
    base.environments().then(
      (list) => {
        setEnvironments(list);
        // A name this admin no longer serves falls back to its first environment.
        if (list.length && !list.some((item) => item.name === env)) setEnv(list[0].name);
      },
      () => setEnvironments(null), // an admin from before environments: one, unnamed
    );
  }, [base]);

  const chooseEnvironment = (name: string) => {
    saveEnvironment(name);
    setEnv(name);
  };

  useEffect(() => {
    if (!api) return;
    setInfoError(null);
    setInfo(null);
    api.info().then(setInfo, (error: unknown) => setInfoError(errorText(error, t)));
    setSession(null);
    setSessionError(null);
    api.session().then(setSession, (error: unknown) => {
      // An admin from before roles has no /api/session: every token there was an admin.
      if (error instanceof ApiError && error.status === 404)
        setSession({ label: '', role: 'admin' });
      else setSessionError(errorText(error, t));
    });
  }, [api]);

  // A notice is about the page it was said on: another page (a tab, a link) drops it at once.
  const routeKey = routeHref(route);
  useEffect(() => setNotice(null), [routeKey]);

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
          <AppHeader info={null} session={null} route={null} onSignOut={null} />
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
            <AppHeader
              info={info}
              session={session}
              route={route}
              onSignOut={() => signOut(null)}
              environments={environments}
              env={env}
              onEnvironment={chooseEnvironment}
            />
            <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
            <main id="main" tabIndex={-1}>
              {infoError && (
                <p role="alert" class="error-box">
                  {infoError}
                </p>
              )}
              {sessionError && (
                <p role="alert" class="error-box">
                  {sessionError}
                </p>
              )}
              {session ? (
                <SessionContext.Provider value={session}>
                  <Page key={env ?? ''} route={route} session={session} />
                </SessionContext.Provider>
              ) : (
                !sessionError && <p class="muted">{t('common.loading')}</p>
              )}
            </main>
          </NoticeContext.Provider>
        </ApiContext.Provider>
      )}
    </I18nContext.Provider>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  switch (route.page) {
    case 'audit':
      // The server refuses the log to other roles (403); the page says so before asking.
      return roleAllows(session.role, 'admin') ? <AuditView /> : <NotAllowed />;
    case 'history':
      return <HistoryView key={route.name} name={route.name} />;
    case 'rollout':
      return <RolloutPage key={route.name} name={route.name} />;
    case 'nodes':
      return <NodesView />;
    case 'changes':
      return <ChangesView />;
    case 'compare':
      return <CompareView name={route.name} />;
    case 'transfer':
      return <TransferView />;
    default:
      return <GroupsView />;
  }
}

function NotAllowed() {
  const { t } = useI18n();
  return (
    <p role="alert" class="error-box">
      {t('audit.notAllowed')}
    </p>
  );
}
