import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { ApiError } from './errors.ts';

/** `zValidator` that answers invalid input with the error envelope (400 and the zod issues). */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({
        path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
        message: i.message,
      }));
      throw new ApiError(400, 'invalid_input', `Invalid ${target}: ${issues.map(describe).join('; ')}`, { issues });
    }
  });

const describe = (i: { path: (string | number)[]; message: string }) =>
  i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message;
