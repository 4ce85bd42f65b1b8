/** The console's environment, per browser tab (like the token): null = the admin's first one. */
const ENV_KEY = 'rcc.console.env';

export function readEnvironment(): string | null {
  return sessionStorage.getItem(ENV_KEY);
}

export function saveEnvironment(env: string): void {
  sessionStorage.setItem(ENV_KEY, env);
}
