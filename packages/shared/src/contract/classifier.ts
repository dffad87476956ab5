import { z } from 'zod';
import { anyText, requiredText } from './text';

/** The fields the classifier suggests (issue 21, decision 50). */
export const ClassifierField = ['category', 'module', 'groupId', 'priority'] as const;
export type ClassifierField = (typeof ClassifierField)[number];
export const classifierFieldSchema = z.enum(ClassifierField);

export const classifierSuggestionSchema = z.object({
  value: z.string(),
  /** Calibrated probability, 0–1 (softmax over the margins, its scale fitted on held-out folds). */
  confidence: z.number().min(0).max(1),
});
export type ClassifierSuggestion = z.infer<typeof classifierSuggestionSchema>;

/** Top suggestions per learnt field (fields the history has too few labels for are absent). */
export const classifierSuggestionsSchema = z.object({
  category: z.array(classifierSuggestionSchema).optional(),
  module: z.array(classifierSuggestionSchema).optional(),
  groupId: z.array(classifierSuggestionSchema).optional(),
  priority: z.array(classifierSuggestionSchema).optional(),
});
export type ClassifierSuggestions = z.infer<typeof classifierSuggestionsSchema>;

export const classifyRequestSchema = z
  .object({
    title: anyText(200).nullable().optional(),
    description: anyText(20_000),
  })
  .strict();
export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const CLASSIFY_BATCH_MAX = 1000;
export const classifyBatchRequestSchema = z
  .object({ items: z.array(classifyRequestSchema).min(1).max(CLASSIFY_BATCH_MAX) })
  .strict();

/** `POST /api/classify`: `modelVersion` null (and no fields) before any model was trained. */
export const classifyResponseSchema = z.object({
  modelVersion: z.number().int().nullable(),
  fields: classifierSuggestionsSchema,
});
export type ClassifyResponse = z.infer<typeof classifyResponseSchema>;

export const classifyBatchResponseSchema = z.object({
  modelVersion: z.number().int().nullable(),
  items: z.array(z.object({ fields: classifierSuggestionsSchema })),
});

const perField = <T extends z.ZodType>(s: T) =>
  z.object({
    category: s.optional(),
    module: s.optional(),
    groupId: s.optional(),
    priority: s.optional(),
  });

export const classifierJobSchema = z.object({
  id: z.string(),
  reason: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  version: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ClassifierJob = z.infer<typeof classifierJobSchema>;

/** `GET /api/classifier`: the model in force and how well it does. */
export const classifierStatusSchema = z.object({
  version: z.number().int().nullable(),
  trainedAt: z.string().nullable(),
  examples: z.number().int(),
  /** The stored model's size (the packed weights and idf), bytes. */
  bytes: z.number().int(),
  /** k-fold cross-validated accuracy per learnt field. */
  accuracy: perField(z.number()),
  /** The majority class's share per learnt field (the baseline the accuracy beats). */
  majority: perField(z.number()),
  /** In production: suggestions shown in the create dialog and how many the agent kept. */
  production: perField(z.object({ suggested: z.number().int(), kept: z.number().int() })),
  lastJob: classifierJobSchema.nullable(),
});
export type ClassifierStatus = z.infer<typeof classifierStatusSchema>;

/** What the create dialog suggested and what the agent kept, per field. */
export const classifierFeedbackSchema = z
  .object({
    ticketId: z.string().max(100).nullable().optional(),
    modelVersion: z.number().int().nullable(),
    fields: z
      .array(
        z
          .object({
            field: classifierFieldSchema,
            suggested: requiredText(200).nullable(),
            confidence: z.number().min(0).max(1).nullable(),
            kept: anyText(200).nullable(),
          })
          .strict(),
      )
      .min(1)
      .max(ClassifierField.length),
  })
  .strict();
export type ClassifierFeedback = z.infer<typeof classifierFeedbackSchema>;
