export { AUTHORIZATION_MODES, createAuthorizer, unauthorizedFieldOrType, UNAUTHORIZED_MESSAGE, type AuthorizationMode, type Authorizer, type Verdict } from './authorize.ts';
export { operationRequirements, RequirementIndex, withoutSelections, type GuardedNode, type OperationRequirements, type Site } from './operation.ts';
export { readRequirements, type Requirement, type SchemaRequirements } from './requirements.ts';
