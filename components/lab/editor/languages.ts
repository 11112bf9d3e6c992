/** The Monaco language for a file, from its name. Unknown kinds open as plain text. */

const byExtension: Record<string, string> = {
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  md: 'markdown',
  markdown: 'markdown',
  sh: 'shell',
  bash: 'shell',
  dockerfile: 'dockerfile',
  // Monaco has no TOML; its INI grammar highlights sections, keys and strings the same way.
  ini: 'ini',
  cfg: 'ini',
  toml: 'ini',
  sql: 'sql',
};

const byName: Record<string, string> = {
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  '.bashrc': 'shell',
  '.bash_profile': 'shell',
  '.profile': 'shell',
};

export const plainText = 'plaintext';

export function languageForPath(path: string): string {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  const exact = byName[name];
  if (exact) return exact;
  if (name.startsWith('dockerfile.')) return 'dockerfile';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return plainText;
  return byExtension[name.slice(dot + 1)] ?? plainText;
}

const labels: Record<string, string> = {
  python: 'Python',
  yaml: 'YAML',
  json: 'JSON',
  markdown: 'Markdown',
  shell: 'Shell',
  dockerfile: 'Dockerfile',
  ini: 'INI',
  sql: 'SQL',
  [plainText]: 'Plain text',
};

/** The language's name for people, as the status bar shows it. */
export function languageLabel(language: string): string {
  return labels[language] ?? language;
}
