import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import { getMDXComponent } from 'mdx-bundler/client/jsx';
import { mdxComponents } from './index';

/** Renders code compiled by lib/content/compile.ts with the course's MDX components. */
export function MdxContent({ code }: { code: string }) {
  const Content = getMDXComponent(code, { React, ReactDOM, _jsx_runtime: jsxRuntime });
  return <Content components={mdxComponents} />;
}
