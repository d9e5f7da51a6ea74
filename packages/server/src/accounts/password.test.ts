import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { DEFAULT_PASSWORD_COST, hashPassword, passwordCost, verifyPassword } from './password.ts';

describe('PREFER_PASSWORD_COST', () => {
  it('is 15 (scrypt N=2^15) when unset or empty, in production and in tests', () => {
    expect(DEFAULT_PASSWORD_COST).toBe(15);
    expect(passwordCost({})).toBe(15);
    expect(passwordCost({ PREFER_PASSWORD_COST: ' ' })).toBe(15);
    expect(passwordCost({ NODE_ENV: 'test' })).toBe(15);
  });

  it('accepts 15 to 18 in production and refuses lower costs there, naming the variable', () => {
    expect(passwordCost({ PREFER_PASSWORD_COST: '18' })).toBe(18);
    expect(passwordCost({ PREFER_PASSWORD_COST: '16', NODE_ENV: 'production' })).toBe(16);
    let error: unknown;
    try {
      passwordCost({ PREFER_PASSWORD_COST: '10' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).message).toBe(
      'PREFER_PASSWORD_COST: invalid value "10": expected an integer from 15 to 18 (lower values are for tests: NODE_ENV=test)',
    );
    expect(() => passwordCost({ PREFER_PASSWORD_COST: '19' })).toThrow(/expected an integer from 15 to 18$/);
    expect(() => passwordCost({ PREFER_PASSWORD_COST: 'fast' })).toThrow(
      /PREFER_PASSWORD_COST: invalid value "fast"/,
    );
    expect(() => passwordCost({ PREFER_PASSWORD_COST: '15.5' })).toThrow(/PREFER_PASSWORD_COST/);
  });

  it('goes down to 10 only under NODE_ENV=test', () => {
    expect(passwordCost({ PREFER_PASSWORD_COST: '10', NODE_ENV: 'test' })).toBe(10);
    expect(() => passwordCost({ PREFER_PASSWORD_COST: '9', NODE_ENV: 'test' })).toThrow(
      'PREFER_PASSWORD_COST: invalid value "9": expected an integer from 10 to 18',
    );
  });

  it('hashes with the cost in force and verifies any stored cost by the parameters the hash carries', async () => {
    const before = process.env.PREFER_PASSWORD_COST;
    try {
      process.env.PREFER_PASSWORD_COST = '11';
      const low = await hashPassword('a long enough password');
      expect(low).toMatch(/^scrypt\$2048\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      delete process.env.PREFER_PASSWORD_COST;
      const standard = await hashPassword('a long enough password');
      expect(standard).toMatch(/^scrypt\$32768\$8\$3\$/);
      expect(await verifyPassword('a long enough password', low)).toBe(true);
      expect(await verifyPassword('a long enough password', standard)).toBe(true);
      expect(await verifyPassword('a long enough passwore', low)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.PREFER_PASSWORD_COST;
      else process.env.PREFER_PASSWORD_COST = before;
    }
  });
});
