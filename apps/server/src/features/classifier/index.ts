/** What other features may use of the classifier feature (its module, classifier.module.ts, is composed by server.ts). */
export type { ClassifierService } from './classifier.service';
