import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers (a bad value is a usage error, exit 2). */
export function integer(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
