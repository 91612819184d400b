import { defineText, setLang, useLang, useText } from '../i18n';

// Each button names the language it switches to, in that language's own words.
const toggleText = defineText(
  { switchLanguage: 'English', switchLanguageLabel: 'Switch to English' },
  { switchLanguage: 'Tiếng Việt', switchLanguageLabel: 'Chuyển sang tiếng Việt' },
);

/** The header's switch between Vietnamese and English, the same in every app. */
export function LanguageToggle() {
  const lang = useLang();
  const words = useText(toggleText);
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      class="btn btn--secondary lang-toggle"
      lang={other}
      aria-label={words.switchLanguageLabel}
      data-testid="language-toggle"
      onClick={() => setLang(other)}
    >
      {words.switchLanguage}
    </button>
  );
}
