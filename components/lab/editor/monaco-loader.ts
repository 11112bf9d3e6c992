/**
 * Monaco comes from our own origin, never a CDN (classrooms may be air-gapped):
 * scripts/lib/monaco-assets.ts copies monaco-editor's AMD build to public/monaco/vs.
 *
 * Web workers come from there too: the AMD build's editor.main sets `self.MonacoEnvironment` to
 * start each worker from a small same-origin blob that `importScripts` the worker file under
 * /monaco/vs/assets/. (A Content-Security-Policy must therefore allow `worker-src 'self' blob:`.)
 */
import { loader, type Monaco } from '@monaco-editor/react';
import type { editor } from 'monaco-editor';
import { languageForPath } from './languages';
import type { DocumentFactory, TextDocument } from './open-files';
import { textEdits } from './text-edit';

export const monacoBasePath = '/monaco/vs';

// Before anything asks for Monaco: the loader's default is a CDN.
loader.config({ paths: { vs: monacoBasePath } });

/** Loads Monaco once (later calls share the first load). */
export function loadMonaco(): Promise<Monaco> {
  return loader.init();
}

/** An open file's text as a Monaco model. */
export type MonacoDocument = TextDocument & { model: editor.ITextModel };

/** Numbers the models' URIs, unique on the page even across editors. */
let modelsCreated = 0;

export function monacoDocumentFactory(monaco: Monaco): DocumentFactory<MonacoDocument> {
  return (text, path) => {
    // A URI per document rather than per path: a renamed file keeps its model and undo history.
    const uri = monaco.Uri.from({
      scheme: 'inmemory',
      authority: 'workspace',
      path: `/${++modelsCreated}/${path}`,
    });
    const model = monaco.editor.createModel(text, languageForPath(path), uri);
    return {
      model,
      getText: () => model.getValue(),
      replaceText(next) {
        const edits = textEdits(model.getValue(), next).map((edit) => ({
          range: monaco.Range.fromPositions(model.getPositionAt(edit.start), model.getPositionAt(edit.end)),
          text: edit.text,
        }));
        if (edits.length === 0) return;
        model.pushStackElement();
        model.pushEditOperations([], edits, () => null);
        model.pushStackElement();
      },
      setPath: (newPath) => monaco.editor.setModelLanguage(model, languageForPath(newPath)),
      versionId: () => model.getAlternativeVersionId(),
      onDidChange: (listener) => model.onDidChangeContent(listener),
      dispose: () => model.dispose(),
    };
  };
}
