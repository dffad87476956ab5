import {
  classifierFeedbackSchema,
  classifierJobSchema,
  classifierStatusSchema,
  classifyBatchRequestSchema,
  classifyBatchResponseSchema,
  classifyRequestSchema,
  classifyResponseSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { classifierJobParamsSchema } from './classifier.routes';

const example = {
  title: 'VPN keeps dropping',
  description: 'The VPN client disconnects every hour since the update',
};

/** The classifier (classifier.routes.ts, decision 50). */
export const classifierApi = defineApi('classifier', [
  {
    method: 'get',
    path: '/api/classifier',
    operationId: 'getClassifier',
    tagDescription:
      "Automatic classification learnt from the desk's own closed tickets: a linear model over word, CJK and character n-grams, trained in the background and stored in the database (issue 21, decision 50).",
    summary: 'The model in force: version, trained-at, per-field cross-validated accuracy',
    description:
      "`accuracy` is 5-fold cross-validated on the history it was trained on, beside `majority` (the largest class's share); `production` counts the create dialog's suggestions and how many the agent kept. `version` null: no model yet.",
    auth: 'staff',
    responses: { 200: json(named(classifierStatusSchema, 'ClassifierStatus'), 'The classifier') },
    example: {},
  },
  {
    method: 'post',
    path: '/api/classifier/train',
    operationId: 'trainClassifier',
    summary: 'Train a new model in the background',
    description:
      'One run at a time per node (a second call answers the running job). Also started after every import and nightly. The run yields to commands every few milliseconds.',
    auth: 'staff',
    roles: ['admin'],
    responses: { 202: json(z.object({ jobId: z.string() }), 'Started (or already running)') },
    example: {},
  },
  {
    method: 'get',
    path: '/api/classifier/jobs/{id}',
    operationId: 'getClassifierJob',
    summary: 'A training run',
    auth: 'staff',
    roles: ['admin'],
    params: classifierJobParamsSchema,
    responses: { 200: json(named(classifierJobSchema, 'ClassifierJob'), 'The run') },
    errors: [404],
    example: { params: { id: '00000000-0000-4000-8000-000000000000' } },
  },
  {
    method: 'post',
    path: '/api/classify',
    operationId: 'classifyTicket',
    summary: "A ticket's suggested category, module, group and priority (top 3 each)",
    description:
      'Only fields the history has enough labels for are answered; confidences are calibrated probabilities.',
    auth: 'staff',
    body: classifyRequestSchema,
    responses: { 200: json(named(classifyResponseSchema, 'ClassifyResponse'), 'The suggestions') },
    example: { body: example },
  },
  {
    method: 'post',
    path: '/api/classify/batch',
    operationId: 'classifyTickets',
    summary: 'Suggestions for up to 1 000 tickets',
    auth: 'staff',
    body: classifyBatchRequestSchema,
    responses: { 200: json(classifyBatchResponseSchema, 'The suggestions, in order') },
    example: { body: { items: [example] } },
  },
  {
    method: 'post',
    path: '/api/classifier/feedback',
    operationId: 'recordClassifierFeedback',
    summary: 'What the create dialog suggested and what the agent kept',
    auth: 'staff',
    body: classifierFeedbackSchema,
    responses: { 204: { description: 'Recorded' } },
    example: {
      body: {
        modelVersion: 1,
        fields: [{ field: 'category', suggested: 'Network', confidence: 0.91, kept: 'Network' }],
      },
    },
  },
]);
