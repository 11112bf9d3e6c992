/** localStorage key of the reader's theme choice; shared by the inline script and the toggle. */
export const themeStorageKey = 'mlops-academy-theme';
