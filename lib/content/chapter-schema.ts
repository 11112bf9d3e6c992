/**
 * What a chapter file (`content/chapters/NN-slug.mdx`) must say about itself, checked strictly so a
 * typo fails the build; a chapter's labs follow the lab format's own id rule.
 */
import { z } from 'zod';
import { labIdSchema } from '@/lab-runner/api/lab-schema';

export const difficulties = ['beginner', 'intermediate', 'advanced'] as const;
export type Difficulty = (typeof difficulties)[number];

/** The frontmatter every chapter must carry. Unknown fields are rejected so typos are caught. */
export const chapterFrontmatterSchema = z.strictObject({
  title: z.string().trim().min(3).max(120),
  summary: z.string().trim().min(10).max(200),
  order: z.number().int().min(1).max(99),
  difficulty: z.enum(difficulties),
  minutes: z.number().int().min(1).max(240),
  objectives: z.array(z.string().trim().min(5)).min(1).max(10),
  /** The chapter's labs, by the ids of their folders under labs/. */
  labs: z.array(labIdSchema).default([]),
  /**
   * The MLOps maturity level (Google's 0–2) this chapter builds towards: the course map groups
   * chapters by it. 0: a reproducible manual process; 1: automated training pipelines (CT);
   * 2: CI/CD of the pipelines themselves.
   */
  maturityLevel: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});

export type ChapterFrontmatter = z.infer<typeof chapterFrontmatterSchema>;

/** `NN-slug.mdx`, where NN is the chapter's order. */
export const chapterFileName = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;
