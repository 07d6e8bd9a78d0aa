import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorCode, SpayError } from './core/errors';
import { type CLICK_DATA_FIELDS, type ClickData } from './core/validate';
import type { ClickEvent, ClickOutcome, EVENT_CALLBACKS, OUTCOME_STATUSES } from './types';

// These lists feed README's reference tables (checked in scripts/readme.test.ts); here the type
// checker holds them to the TypeScript types, so neither can drift from the code.
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

describe('the public contract', () => {
  it('lists every ClickData field and no other', () => {
    expectTypeOf<NamedKeys<ClickData>>().toEqualTypeOf<(typeof CLICK_DATA_FIELDS)[number]>();
  });

  it('lists every event callback and outcome status', () => {
    expectTypeOf<keyof ClickEvent>().toEqualTypeOf<(typeof EVENT_CALLBACKS)[number]>();
    expectTypeOf<ClickOutcome['status']>().toEqualTypeOf<(typeof OUTCOME_STATUSES)[number]>();
  });

  it('gives errors a sentence, a code and maybe a field', () => {
    expectTypeOf<SpayError>().toEqualTypeOf<{ ERROR: string; code: ErrorCode; field?: string }>();
  });
});
