/**
 * What the run page shows for an artifact file: an image (from a blob typed by its extension, so a
 * file can never be taken for a page), text or pretty-printed JSON (always rendered as text), or
 * no preview. Previews read at most a capped number of bytes.
 */
import type { ArtifactFile } from './tracking-client';

export type PreviewKind = 'image' | 'json' | 'text' | 'none';

/** Text and JSON previews read at most this much of a file. */
export const textPreviewMaxBytes = 256 * 1024;
/** Larger images are not previewed. */
export const imagePreviewMaxBytes = 5 * 1024 * 1024;

/** The image types previewed, by extension. SVG is not one: it can hold scripts, so it shows as text. */
const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  avif: 'image/avif',
};

/** Files that are binary by their extension (models, arrays, archives…): never read as text. */
const binaryExtensions = new Set([
  'pkl',
  'pickle',
  'joblib',
  'npy',
  'npz',
  'pt',
  'pth',
  'onnx',
  'h5',
  'hdf5',
  'keras',
  'pb',
  'parquet',
  'feather',
  'arrow',
  'bin',
  'safetensors',
  'zip',
  'gz',
  'tgz',
  'tar',
  'bz2',
  'xz',
  '7z',
  'whl',
  'so',
  'dll',
  'exe',
  'pdf',
  'ico',
  'tif',
  'tiff',
  'mp3',
  'mp4',
  'wav',
  'db',
  'sqlite',
  'ubj',
  'cbm',
]);

export function extensionOf(path: string): string {
  const name = path.split('/').at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function previewKindOf(path: string): PreviewKind {
  const extension = extensionOf(path);
  if (extension in imageTypes) return 'image';
  if (extension === 'json' || extension === 'ipynb' || extension === 'geojson') return 'json';
  if (binaryExtensions.has(extension)) return 'none';
  // Anything else (.txt, .yaml, .py, MLmodel, requirements.txt…) is tried as text.
  return 'text';
}

/** The MIME type an image preview's blob gets: from the extension, never from the server. */
export function imageTypeOf(path: string): string | null {
  return imageTypes[extensionOf(path)] ?? null;
}

export type TextPreview = { kind: 'text'; text: string } | { kind: 'binary' };

/**
 * Bytes as UTF-8 text, or "binary" when they are not text (a NUL byte, or bytes that are not
 * UTF-8). A read cut at the cap may end inside a character: that end is dropped, not refused.
 */
export function decodeText(bytes: Uint8Array, isTruncated: boolean): TextPreview {
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const text = decoder.decode(bytes, { stream: isTruncated });
    return { kind: 'text', text };
  } catch {
    return { kind: 'binary' };
  }
}

/** JSON indented by two spaces; the text as it is when it does not parse (or was cut short). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Folders first, then files, each by name (numbers in names in numeric order). */
export function sortArtifacts(files: readonly ArtifactFile[]): ArtifactFile[] {
  return [...files].sort(
    (a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path, 'en', { numeric: true }),
  );
}

/** The last part of an artifact path: "plots/loss.png" → "loss.png". */
export function baseName(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? path;
}
