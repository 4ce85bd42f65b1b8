import { type Language, useI18n } from '../i18n/i18n';

const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
];

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label class="language-switch">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select
        name="language"
        value={language}
        onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      >
        {LANGUAGES.map((option) => (
          <option key={option.value} value={option.value} lang={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
