/**
 * What the workshop API accepts, parsed with zod in one place. Browser-safe (no server imports),
 * so the create form shares the limits.
 */
import { z } from 'zod';
import { labIdSchema } from '@/lab-runner/api/lab-schema';

export const titleMaxLength = 120;
export const maxLabsPerWorkshop = 20;
export const maxWorkshopDays = 31;
const dayMs = 24 * 60 * 60 * 1000;

/** The lab format's id rule, with this API's own words for a body that breaks it. */
const labId = z.string().refine((id) => labIdSchema.safeParse(id).success, 'is not a lab id');

export const createWorkshopSchema = z
  .strictObject({
    title: z
      .string()
      .trim()
      .min(1, 'Give the workshop a title.')
      .max(titleMaxLength, `Use a title of at most ${titleMaxLength} characters.`)
      .refine((title) => !/[\u0000-\u001f\u007f]/.test(title), 'A title cannot contain control characters.'),
    labs: z
      .array(labId)
      .min(1, 'Choose at least one lab.')
      .max(maxLabsPerWorkshop, `Choose at most ${maxLabsPerWorkshop} labs.`)
      .refine((labs) => new Set(labs).size === labs.length, 'Choose each lab once.'),
    startsAt: z.iso.datetime({ offset: true, message: 'Give the start as a date and time.' }),
    endsAt: z.iso.datetime({ offset: true, message: 'Give the end as a date and time.' }),
    /** After the end, learners may resume their sandboxes and keep working (default: no). */
    learnersMayContinue: z.boolean().default(false),
  })
  .transform((body) => ({ ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) }))
  .refine((body) => body.endsAt > body.startsAt, {
    message: 'The end must come after the start.',
    path: ['endsAt'],
  })
  .refine((body) => body.endsAt.getTime() - body.startsAt.getTime() <= maxWorkshopDays * dayMs, {
    message: `A workshop lasts at most ${maxWorkshopDays} days.`,
    path: ['endsAt'],
  });

export type CreateWorkshopInput = z.infer<typeof createWorkshopSchema>;

export const joinWorkshopSchema = z.strictObject({
  code: z.string().max(64, 'That is not a workshop code.'),
});

export const viewTokenSchema = z.strictObject({ labId });
