import type { OpenApiFixtures } from '../openapi/openapi.testing';

/**
 * Records for the examples: an organisation with a contact (read, change, its page), and a
 * spare of each to delete (nothing links to them).
 */
export const openapiFixtures: OpenApiFixtures = async ({ call }) => {
  const org = await call<{ id: string }>('POST', '/api/organisations', {
    name: 'OpenAPI Fixture Ltd',
  });
  const contact = await call<{ id: string }>('POST', '/api/contacts', {
    name: 'Fixture Caller',
    phone: '+86 21 5555 0199',
    organisationId: org.id,
  });
  const spareOrg = await call<{ id: string }>('POST', '/api/organisations', {
    name: 'OpenAPI Spare Ltd',
  });
  const spareContact = await call<{ id: string }>('POST', '/api/contacts', {
    name: 'Spare Caller',
  });
  return {
    getContact: { params: { id: contact.id } },
    updateContact: { params: { id: contact.id } },
    deleteContact: { params: { id: spareContact.id } },
    getOrganisation: { params: { id: org.id } },
    getOrganisationOverview: { params: { id: org.id } },
    updateOrganisation: { params: { id: org.id } },
    deleteOrganisation: { params: { id: spareOrg.id } },
  };
};
