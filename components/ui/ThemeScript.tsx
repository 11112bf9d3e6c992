import { themeStorageKey } from './theme-key';

/**
 * Sets <html data-theme> before the first paint from the saved choice or the system preference,
 * so a dark-mode reader never sees a white flash.
 */
export function ThemeScript() {
  const script = `(function(){try{var t=localStorage.getItem(${JSON.stringify(themeStorageKey)});if(t!=='light'&&t!=='dark'){t=window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme='light'}})();`;
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
