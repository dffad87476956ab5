/** What other features may use of the customers feature (its module, customers.module.ts, is composed by server.ts). */
export { resolveCustomerLink } from './links';
export {
  findContactByEmail,
  findContactByPhoneOrEmail,
  readContact,
  readOrganisation,
} from './customers.repo';
