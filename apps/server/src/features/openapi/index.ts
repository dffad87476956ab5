/** What other features use of the OpenAPI feature: the types and helpers of their `<feature>.openapi.ts`. */
export {
  defineApi,
  json,
  type ApiAuth,
  type ApiExample,
  type ApiOperation,
  type ApiResponse,
  type ErrorStatus,
} from './spec';
export { errorBodySchema, named } from './components';
