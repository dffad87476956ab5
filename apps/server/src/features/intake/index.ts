/** What other features may use of the intake feature (its module, intake.module.ts, is composed by server.ts). */
export type { IntakeService } from './intake.service';
export { readCallStats } from './callStats';
export { INTAKE_USERNAME } from './account';
