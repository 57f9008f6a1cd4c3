import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { locales } from './locales/index.js';

export type Language = 'zh-CN' | 'en';
export const LANGUAGE_KEY = 'ga.language';

/** Chinese unless the user picked English before; the choice is kept in localStorage. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language {
  return storage?.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: locales.zh }, en: { translation: locales.en } },
  lng: initialLanguage(typeof localStorage === 'undefined' ? undefined : localStorage),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

export default i18next;
