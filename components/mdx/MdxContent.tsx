import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import { getMDXComponent } from 'mdx-bundler/client/jsx';
import { mdxComponents } from './index';

/**
 * Renders code compiled by lib/content/compile.ts with the course's MDX components. This is a server
 * component: the MDX function runs once per request (or once at build time for static pages), so it
 * is called directly rather than mounted as a component with state.
 */
export function MdxContent({ code }: { code: string }) {
  const renderContent = getMDXComponent(code, { React, ReactDOM, _jsx_runtime: jsxRuntime });
  return renderContent({ components: mdxComponents });
}
