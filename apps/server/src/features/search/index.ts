/** What other features may use of the search feature (its module, search.module.ts, is composed by server.ts). */
export { projectBatch } from './projector';
export { documentsOf, type SearchDocument } from './documents';
export { titleHighlights } from './search.service';
export {
  anyTsquery,
  cutTerms,
  makeSnippet,
  normalizeText,
  parseQuery,
  partTsquery,
  toTsvectorLiteral,
  type ParsedQuery,
  type QueryPart,
} from './terms';
