import { EN, type MessageKey } from './messages-en';
import { ZH } from './messages-zh';

export type Language = 'en' | 'zh-CN';
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const CATALOGS: Record<Language, Record<MessageKey, string>> = { en: EN, 'zh-CN': ZH };

/**
 * `{count, plural, =1 {…} one {…} other {# …}}` (a subset of ICU MessageFormat): an exact `=N`
 * case first, else the language's plural category (`Intl.PluralRules`), else `other`; `#` is the
 * number. Cases hold no braces of their own.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

function plural(language: Language, cases: string, value: number): string {
  const chosen = new Map<string, string>();
  for (const [, selector, text] of cases.matchAll(PLURAL_CASE)) chosen.set(selector, text);
  const text =
    chosen.get(`=${value}`) ??
    chosen.get(new Intl.PluralRules(language).select(value)) ??
    chosen.get('other') ??
    '';
  return text.replace(/#/g, String(value));
}

/**
 * Fills `{name}` placeholders and chooses plural forms; the result is plain text (rendered as
 * text, never as HTML).
 */
export function translator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params = {}) =>
    catalog[key]
      .replace(PLURAL, (whole, name: string, cases: string) =>
        name in params ? plural(language, cases, Number(params[name])) : whole,
      )
      .replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      );
}
