import { errors } from '@strapi/utils';

/** Routes that act on "my" data need a signed-in site user (students), not an API token. */
export default (policyContext: any) => {
  if (policyContext.state?.user?.id) return true;
  throw new errors.UnauthorizedError('Sign in to continue');
};
