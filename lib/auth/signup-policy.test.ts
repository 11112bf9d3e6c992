import { describe, expect, it } from 'vitest';
import { signupRefusal } from './signup-policy';

describe('signupRefusal', () => {
  it('lets anyone sign up in open mode, with or without a join code', () => {
    expect(signupRefusal('open', false)).toBeNull();
    expect(signupRefusal('open', true)).toBeNull();
  });

  it('asks for a join code in workshop mode', () => {
    expect(signupRefusal('workshop', true)).toBeNull();
    expect(signupRefusal('workshop', false)).toMatchObject({ status: 403, code: 'SIGNUP_NEEDS_WORKSHOP' });
  });

  it('refuses every sign-up when closed, a join code included', () => {
    expect(signupRefusal('closed', true)).toMatchObject({ status: 403, code: 'SIGNUP_CLOSED' });
    expect(signupRefusal('closed', false)?.message).toMatch(/Sign-up is closed/);
  });
});
