export { createQualityModule } from './quality.module';
export { computeScorecards, countAssignments, type ScoreTicket } from './scorecards';
export { seededRandom } from './sampling';
