/**
 * The components available inside chapter and lab MDX, by the name authors write.
 * See docs/authoring-content.md for how to use each one.
 */
import { Callout } from './Callout';
import { LabCard } from './LabCard';
import { Mermaid } from './Mermaid';
import { Quiz } from './Quiz';

export const mdxComponents = { Callout, LabCard, Mermaid, Quiz };
