import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Language, type Translate, translator } from './translate';

export { translator };
export type { Language, MessageParams, Translate } from './translate';

const LANGUAGE_KEY = 'rcc.console.language';

/** The remembered choice, else the browser's preference. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
}

export interface I18n {
  language: Language;
  t: Translate;
  setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({
  language: 'en',
  t: translator('en'),
  setLanguage: () => undefined,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
