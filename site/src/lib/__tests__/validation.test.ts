import { formSchemas, sentence, validateForm } from '../validation';
// The API's own rules: the site's copy must accept and refuse exactly the same inputs.
import * as strapi from '../../../../cms/src/accounts/validation';

const passwords = [
  'Learn@Skillyug42',
  'short1A',
  'alllowercase123',
  'ALLUPPERCASE123',
  'NoDigitsHereAtAll',
  'Aa1Aa1Aa1Aa1',
  'Ab1' + 'x'.repeat(69),
  'Ab1' + 'x'.repeat(70),
  'Ünïcødé1Pässwörd' + 'é'.repeat(30),
  '',
];
const emails = ['asha@example.com', '  Asha@Example.COM ', 'not-an-email', 'a@b', '', `${'a'.repeat(250)}@x.co`];
const codes = ['123456', ' 123456 ', '12345', '1234567', 'abcdef', ''];

describe('site validation mirrors the API', () => {
  it.each(passwords)('password %j', (value) => {
    const site = formSchemas.register.shape.password.safeParse(value);
    const api = strapi.password.safeParse(value);
    expect(site.success).toBe(api.success);
    if (!site.success && !api.success) expect(site.error.issues[0].message).toBe(api.error.issues[0].message);
  });

  it.each(emails)('email %j', (value) => {
    const site = formSchemas.register.shape.email.safeParse(value);
    const api = strapi.email.safeParse(value);
    expect(site.success).toBe(api.success);
    if (site.success && api.success) expect(site.data).toBe(api.data);
  });

  it.each(['Asha Verma', '  Asha  ', '', '   ', 'x'.repeat(60), 'x'.repeat(61), 'Tab\there', 'Bell\u0007', 'Right\u202eleft', 'Zoë Ñandú', '李华'])('display name %j', (value) => {
    const site = formSchemas.register.shape.displayName.safeParse(value);
    const api = strapi.displayName.safeParse(value);
    expect(site.success).toBe(api.success);
    if (site.success && api.success) expect(site.data).toBe(api.data);
    if (!site.success && !api.success) expect(site.error.issues[0].message).toBe(api.error.issues[0].message);
  });

  it.each(codes)('code %j', (value) => {
    expect(formSchemas.verify.shape.code.safeParse(value).success).toBe(strapi.code.safeParse(value).success);
  });
});

describe('validateForm', () => {
  it('gives one sentence per field', () => {
    expect(validateForm('register', { displayName: 'Asha', email: 'nope', password: 'short' })).toEqual({
      ok: false,
      errors: { email: 'Enter a valid email address.', password: 'Use at least 10 characters.' },
    });
  });

  it('returns the normalised values', () => {
    expect(validateForm('verify', { email: ' Asha@Example.com', code: ' 123456 ' })).toEqual({ ok: true, data: { email: 'asha@example.com', code: '123456' } });
  });

  it('asks only for something in the password when signing in', () => {
    expect(validateForm('login', { email: 'a@b.co', password: 'x' }).ok).toBe(true);
    expect(validateForm('login', { email: 'a@b.co', password: '' })).toEqual({ ok: false, errors: { password: 'Enter your password.' } });
  });

  it('sentence()', () => {
    expect(sentence('use a less repetitive password')).toBe('Use a less repetitive password.');
    expect(sentence('Done!')).toBe('Done!');
  });
});
