import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'groups' }
  | { page: 'history'; name: string }
  | { page: 'rollout'; name: string }
  | { page: 'nodes' }
  | { page: 'transfer' }
  | { page: 'audit' }
  | { page: 'changes' }
  | { page: 'compare'; name: string };

/** Hash routes (`#/nodes`, `#/groups/<name>/history`): bookmarkable, and no server routes. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const history = /^groups\/(.+)\/history$/.exec(path);
  if (history) {
    try {
      return { page: 'history', name: decodeURIComponent(history[1]) };
    } catch {
      return { page: 'groups' };
    }
  }
  const rollout = /^groups\/(.+)\/rollout$/.exec(path);
  if (rollout) {
    try {
      return { page: 'rollout', name: decodeURIComponent(rollout[1]) };
    } catch {
      return { page: 'groups' };
    }
  }
  const compare = /^compare(?:\/(.*))?$/.exec(path);
  if (compare) {
    try {
      return { page: 'compare', name: decodeURIComponent(compare[1] ?? '') };
    } catch {
      return { page: 'compare', name: '' };
    }
  }
  if (path === 'changes') return { page: 'changes' };
  if (path === 'nodes') return { page: 'nodes' };
  if (path === 'transfer') return { page: 'transfer' };
  if (path === 'audit') return { page: 'audit' };
  return { page: 'groups' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'history':
      return `#/groups/${encodeURIComponent(route.name)}/history`;
    case 'rollout':
      return `#/groups/${encodeURIComponent(route.name)}/rollout`;
    case 'nodes':
      return '#/nodes';
    case 'transfer':
      return '#/transfer';
    case 'audit':
      return '#/audit';
    case 'changes':
      return '#/changes';
    case 'compare':
      return route.name ? `#/compare/${encodeURIComponent(route.name)}` : '#/compare';
    default:
      return '#/groups';
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
