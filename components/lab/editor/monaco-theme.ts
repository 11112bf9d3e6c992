/**
 * Monaco's colours follow the site theme: `vs` or `vs-dark`, with the editor's background taken
 * from the site's --bg so the editor sits flush in the page.
 */
import type { Monaco } from '@monaco-editor/react';
import type { Theme } from '@/components/ui/theme';

const themeNames: Record<Theme, string> = { light: 'academy-light', dark: 'academy-dark' };

/**
 * A hex colour in the #rrggbb (or #rrggbbaa) form Monaco accepts: minified CSS turns #ffffff into
 * #fff, which Monaco's theme service rejects with an exception. Anything else gives undefined.
 */
export function monacoHexColor(value: string): string | undefined {
  const hex = value.trim().toLowerCase();
  if (/^#(?:[0-9a-f]{6}|[0-9a-f]{8})$/.test(hex)) return hex;
  if (/^#[0-9a-f]{3,4}$/.test(hex)) {
    return `#${[...hex.slice(1)].map((digit) => digit + digit).join('')}`;
  }
  return undefined;
}

/** A CSS variable of <html> as a Monaco colour, else undefined. */
function cssHexColor(name: string): string | undefined {
  return monacoHexColor(getComputedStyle(document.documentElement).getPropertyValue(name));
}

export function applyMonacoTheme(monaco: Monaco, theme: Theme): void {
  const background = cssHexColor('--bg');
  const colors: Record<string, string> = background
    ? { 'editor.background': background, 'editorGutter.background': background }
    : {};
  monaco.editor.defineTheme(themeNames[theme], {
    base: theme === 'dark' ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors,
  });
  monaco.editor.setTheme(themeNames[theme]);
}
