import { describe, expect, it } from 'vitest';
import { scopesForRole, type Identity } from '@store/core';
import { policyNamed, POLICIES, type PolicyRequest } from '../src/policies.ts';

const USER_ID = '3f2c1a7e-8b4d-4c6e-9a1f-2b3c4d5e6f70';
const customer: Identity = { sub: USER_ID, role: 'CUSTOMER', scopes: scopesForRole('CUSTOMER') };
const admin: Identity = { sub: USER_ID, role: 'ADMIN', scopes: scopesForRole('ADMIN') };
const service: Identity = { sub: 'service:payments', role: 'SERVICE', scopes: scopesForRole('SERVICE') };

function request(identity: Identity | null, overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return { identity, operationName: 'Op', operationType: 'mutation', variables: {}, ...overrides };
}

describe('policies', () => {
  it('user_account: a customer or staff account, never anonymous or a service', () => {
    expect(POLICIES.user_account(request(customer))).toBe(true);
    expect(POLICIES.user_account(request(admin))).toBe(true);
    expect(POLICIES.user_account(request(null))).toBe(false);
    expect(POLICIES.user_account(request(service))).toBe(false);
    // A forged-looking identity: the user role on a non-account subject.
    expect(POLICIES.user_account(request({ ...customer, sub: 'service:payments' }))).toBe(false);
  });

  it('service_account: one of the store services, never a person or anonymous', () => {
    expect(POLICIES.service_account(request(service))).toBe(true);
    expect(POLICIES.service_account(request(customer))).toBe(false);
    expect(POLICIES.service_account(request(admin))).toBe(false);
    expect(POLICIES.service_account(request(null))).toBe(false);
    expect(POLICIES.service_account(request({ ...service, sub: USER_ID }))).toBe(false);
  });

  it('finds only policies it defines (no prototype names)', () => {
    expect(policyNamed('user_account')).toBe(POLICIES.user_account);
    expect(policyNamed('no_such_policy')).toBeUndefined();
    expect(policyNamed('toString')).toBeUndefined();
    expect(policyNamed('constructor')).toBeUndefined();
  });
});
