import type { AdminInfo, EnvironmentInfo, Session } from '../api/api-types';
import { roleAllows } from '../auth/session-context';
import { EnvironmentOptions } from '../environments/environment-options.view';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from './language-switch.view';
import { type Route, routeHref } from './route';

interface AppHeaderProps {
  info: AdminInfo | null;
  /** Who the token is; null until known (and on the sign-in screen). */
  session: Session | null;
  route: Route | null;
  onSignOut: (() => void) | null;
  /** The admin's environments (null: one, or not known yet), the chosen one, how to switch. */
  environments?: EnvironmentInfo[] | null;
  env?: string | null;
  onEnvironment?: (name: string) => void;
}

/** Environment labels that get the strong warning colour. */
const PRODUCTION = /^prod/i;

/** The old console's header: Redis host/port/db, namespace and environment, plus navigation. */
export function AppHeader({
  info,
  session,
  route,
  onSignOut,
  environments,
  env,
  onEnvironment,
}: AppHeaderProps) {
  const { t } = useI18n();
  const currentEnv = environments?.find((item) => item.name === env) ?? environments?.[0];
  // A protected environment (two-person rule) looks like production, whatever its name.
  const production =
    (info ? PRODUCTION.test(info.environment) : false) || currentEnv?.protected === true;
  const current = route?.page === 'history' || route?.page === 'rollout' ? 'groups' : route?.page;
  const tabHref = (page: 'groups' | 'nodes' | 'transfer' | 'audit' | 'changes' | 'compare') =>
    page === 'compare' ? routeHref({ page, name: '' }) : routeHref({ page });
  const tabs = [
    { page: 'groups' as const, label: t('nav.groups') },
    { page: 'nodes' as const, label: t('nav.nodes') },
    { page: 'transfer' as const, label: t('nav.transfer') },
    { page: 'compare' as const, label: t('nav.compare') },
    { page: 'changes' as const, label: t('nav.changes') },
    // Who did what is an admin's view (the server refuses it to the other roles).
    ...(session && roleAllows(session.role, 'admin')
      ? [{ page: 'audit' as const, label: t('nav.audit') }]
      : []),
  ];
  return (
    <header class={production ? 'app-header production' : 'app-header'}>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <div class="brand">
        <span class="logo" aria-hidden="true">
          ◆
        </span>
        <span class="title">{t('app.title')}</span>
        {info && (
          <span
            class={production ? 'env-badge env-production' : 'env-badge'}
            title={t('header.environment')}
          >
            {info.environment}
            {currentEnv?.protected && ` · ${t('env.protected')}`}
          </span>
        )}
        {environments && environments.length > 1 && onEnvironment && (
          <label class="env-switch">
            <span>{t('header.environment')}</span>
            <select
              value={currentEnv?.name}
              onChange={(event) => onEnvironment((event.target as HTMLSelectElement).value)}
            >
              <EnvironmentOptions environments={environments} />
            </select>
          </label>
        )}
      </div>
      {info && (
        <dl class="connection">
          <div>
            <dt>{t('header.redis')}</dt>
            <dd>
              <code>{redisAddress(info)}</code> · {t('header.db', { db: info.db })}
              {info.mode !== 'standalone' && ` · ${t('header.mode', { mode: info.mode })}`}
              {info.connected === false && (
                <span class="badge warn">{t('header.disconnected')}</span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('header.namespace')}</dt>
            <dd>
              <code>{info.namespace}</code>
            </dd>
          </div>
        </dl>
      )}
      <div class="header-tools">
        {session && <SessionBadge session={session} />}
        <LanguageSwitch />
        {onSignOut && (
          <button type="button" onClick={onSignOut}>
            {t('signOut')}
          </button>
        )}
      </div>
      {route && (
        <nav class="tabs" aria-label={t('nav.label')}>
          {tabs.map((tab) => (
            <a
              key={tab.page}
              href={tabHref(tab.page)}
              aria-current={current === tab.page ? 'page' : undefined}
            >
              {tab.label}
            </a>
          ))}
        </nav>
      )}
    </header>
  );
}

/**
 * The token's label and its role, said once when they read the same (the single ADMIN_TOKEN is
 * labelled "admin" and has the admin role: "admin admin" said nothing twice).
 */
function SessionBadge({ session }: { session: Session }) {
  const { t } = useI18n();
  const role = t(`role.${session.role}`);
  const label = session.label.trim();
  const sameAsRole =
    label === '' ||
    label.toLowerCase() === session.role ||
    label.toLowerCase() === role.toLowerCase();
  return (
    <span
      class="session"
      title={sameAsRole ? t('header.session') : t('header.sessionNamed', { label, role })}
    >
      {!sameAsRole && <span class="session-label">{label}</span>}
      <span class={`badge role-badge role-${session.role}`}>{role}</span>
    </span>
  );
}

/** `host:port`, or every endpoint of a Sentinel / Cluster set-up. */
function redisAddress(info: AdminInfo): string {
  if (info.endpoints && info.endpoints.length > 1) return info.endpoints.join(', ');
  if (info.host === null) return info.endpoints?.[0] ?? '–';
  return `${info.host}:${info.port ?? ''}`;
}
