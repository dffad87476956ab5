/**
 * What other features may use of the portal feature (its module, portal.module.ts, is composed
 * by server.ts): the portal token's guard and caller, for customer routes a feature owns (the
 * surveys' `/api/portal/tickets/:id/survey`, decision 55).
 */
export { portalCallerOf, requirePortal, type PortalCaller } from './access';
