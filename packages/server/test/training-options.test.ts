/** The choice lists the API, SDK and web app offer (`@prefer/schemas`) are the converters' own. */
import {
  TRAINING_AGGREGATES,
  TRAINING_FORMATS,
  TRAINING_LABEL_POLICIES,
  TRAINING_OUTPUTS,
  TRAINING_TIE_POLICIES,
} from '@prefer/schemas';
import { AGGREGATES, FORMATS, LABEL_POLICIES } from '@prefer/training/options';
import { expect, it } from 'vitest';
import { CONVERSION_OUTPUTS, TIE_POLICIES } from '../src/training/conversion.options.ts';

it('the wire lists equal the training package and the server lists', () => {
  expect([...TRAINING_FORMATS]).toEqual([...FORMATS]);
  expect([...TRAINING_LABEL_POLICIES]).toEqual([...LABEL_POLICIES]);
  expect([...TRAINING_AGGREGATES]).toEqual([...AGGREGATES]);
  expect([...TRAINING_OUTPUTS]).toEqual([...CONVERSION_OUTPUTS]);
  expect([...TRAINING_TIE_POLICIES]).toEqual([...TIE_POLICIES]);
});
