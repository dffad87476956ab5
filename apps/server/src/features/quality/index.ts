export { createQualityModule } from './quality.module';
